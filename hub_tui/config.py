"""Settings, read once at start from `HUB_*` environment variables (or `.env`)."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from platformdirs import user_data_dir
from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from hub_tui.kinds import NOTICES

DEFAULT_MAIL_FROM = "School Support Hub <noreply@cambridgeinternational.org>"


def default_database_url() -> str:
    data = Path(user_data_dir("hub-tui", appauthor=False))
    return f"sqlite:///{data / 'hub.db'}"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="HUB_",
        env_file=".env",
        env_ignore_empty=True,  # an empty value means "not set"
        extra="ignore",
        populate_by_name=True,
        allow_inf_nan=False,  # nan would pass no bound and turn a limit off
    )

    database_url: str = ""
    smtp_host: str | None = None
    smtp_port: int | None = Field(default=None, ge=1, le=65535)  # default: by TLS mode
    smtp_username: str | None = None
    smtp_password: SecretStr | None = None
    smtp_starttls: bool = False
    smtp_tls: bool = False  # implicit TLS (usually port 465)
    smtp_timeout_seconds: float = Field(default=30.0, gt=0, le=3600)
    # a message is retried for about two days (back-off 30 s, doubling, then every 2 h), as
    # long as an invitation is valid: an hour without the mail server fails none
    mail_max_attempts: int = Field(default=32, ge=1, le=1000)
    # a claim on a message lasts this long unless its worker, still alive, renews it: a
    # dead worker's messages go out through another within about this time
    mail_lease_seconds: float = Field(default=30.0, ge=5, le=3600)
    maildir_path: Path | None = Field(default=None, alias="HUB_MAILDIR")
    mail_from: str = DEFAULT_MAIL_FROM
    mail_reply_to: str | None = None
    invite_ttl_hours: float = Field(default=48.0, gt=0, le=24 * 365)
    # a reminder this long before an invitation runs out (0: none)
    invite_reminder_hours: float = Field(default=24.0, ge=0, le=24 * 365)
    # notices not to send, by kind, separated by commas (e.g. "account_set_up,reminder")
    notices_off: str = ""
    user: str | None = None
    ssh_host: str = "127.0.0.1"
    ssh_port: int = Field(default=2222, ge=1, le=65535)
    ssh_idle_minutes: float = Field(default=30.0, gt=0, le=24 * 60)
    ssh_public_host: str | None = None  # what people connect to, when not ssh_host (0.0.0.0)
    ssh_max_sessions: int = Field(default=3, ge=1, le=100)  # per user, on each front end
    # setup codes checked by each front end: from one client address, and from all of them
    ssh_setup_tries_per_minute: int = Field(default=5, ge=1, le=10000)
    ssh_setup_tries_per_minute_total: int = Field(default=30, ge=1, le=10000)
    ssh_host_key: Path | None = None  # default: ssh_host_ed25519_key in data_dir
    # the key setup codes are derived with; every host of one installation shares it
    secret_key_file: Path | None = None  # default: secret.key in data_dir
    # the TUI and `ssh serve` deliver the outbox in the background (false: `hub-tui mail
    # deliver` workers do it); `ssh serve` delivers for its sessions, which do not
    deliver_mail: bool = True
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"

    @field_validator("notices_off")
    @classmethod
    def _known_notices(cls, value: str) -> str:
        unknown = {k.strip() for k in value.split(",") if k.strip()} - set(NOTICES)
        if unknown:
            raise ValueError(f"unknown notice {sorted(unknown)[0]!r}; kinds: {', '.join(NOTICES)}")
        return value

    def sends(self, kind: str) -> bool:
        """False for a notice switched off in HUB_NOTICES_OFF."""
        return kind not in {k.strip() for k in self.notices_off.split(",")}

    @field_validator("log_level", mode="before")
    @classmethod
    def _upper(cls, value: object) -> object:
        return value.upper() if isinstance(value, str) else value  # info, Info, INFO

    @property
    def resolved_database_url(self) -> str:
        return self.database_url or default_database_url()

    @property
    def resolved_smtp_port(self) -> int:
        if self.smtp_port:
            return self.smtp_port
        return 465 if self.smtp_tls else 587 if self.smtp_starttls else 25

    @property
    def ssh_address(self) -> str:
        """The command that opens the TUI over SSH."""
        return f"ssh -p {self.ssh_port} {self.ssh_public_host or self.ssh_host}"

    @property
    def ssh_setup(self) -> str:
        """The command an invitation gives for setting up over SSH."""
        return f"ssh -p {self.ssh_port} setup@{self.ssh_public_host or self.ssh_host}"

    @property
    def data_dir(self) -> Path:
        """Beside an SQLite database, or the user's data directory."""
        url = self.resolved_database_url
        if url.startswith("sqlite:///") and not url.endswith(":memory:"):
            return Path(url.removeprefix("sqlite:///")).expanduser().parent
        return Path(user_data_dir("hub-tui", appauthor=False))

    @property
    def maildir(self) -> Path:
        """Where mail goes when no SMTP server is set: HUB_MAILDIR, or data_dir/maildir."""
        return self.maildir_path or self.data_dir / "maildir"

    @property
    def host_key_path(self) -> Path:
        return self.ssh_host_key or self.data_dir / "ssh_host_ed25519_key"

    @property
    def log_file(self) -> Path:
        """Where the TUI logs: its screen is the terminal, so not to stderr."""
        return self.data_dir / "hub-tui.log"

    @property
    def secret_key_path(self) -> Path:
        return self.secret_key_file or self.data_dir / "secret.key"


def load_settings(**overrides: object) -> Settings:
    return Settings(**overrides)  # type: ignore[arg-type]
