"""E-mail: composing the messages and (later) delivering the outbox."""
