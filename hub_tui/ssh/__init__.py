"""The SSH front end: an asyncssh server whose sessions each run the TUI as a child
process on its own pseudo-terminal, and the set-up dialogue for invited people."""
