"""How long each piece of text may be: read by the models, the checks and the forms alike."""

NAME_MAX = 100  # a person's name
EMAIL_MAX = 254  # RFC 5321's limit on a whole address
REASON_MAX = 500  # why an account was suspended
CENTRE_NAME_MAX = 200
COUNTRY_MAX = 100
ASSOCIATE_MAX = 100
SUBJECT_MAX = 255
