"""The SSH front end (SPEC §6): an asyncssh server whose sessions each run the TUI as a child
process on its own pseudo-terminal, and the set-up dialogue for invited people."""
