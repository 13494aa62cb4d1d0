"""The kinds of automated e-mail: named once, for the mail, the settings and the views."""

INVITATION = "invitation"
NOW_COORDINATOR = "now_coordinator"
REMINDER = "reminder"
INVITATION_EXPIRED = "invitation_expired"  # to whoever sent it
ACCOUNT_SUSPENDED = "account_suspended"
ACCOUNT_RESTORED = "account_restored"
COORDINATOR_REPLACED = "coordinator_replaced"
INVITATION_REVOKED = "invitation_revoked"
ACCOUNT_SET_UP = "account_set_up"
# the notices a setting may switch off (HUB_NOTICES_OFF); invitations always go
NOTICES = (
    REMINDER,
    INVITATION_EXPIRED,
    ACCOUNT_SUSPENDED,
    ACCOUNT_RESTORED,
    COORDINATOR_REPLACED,
    INVITATION_REVOKED,
    ACCOUNT_SET_UP,
)
