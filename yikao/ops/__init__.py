"""Operations across apps: the management commands that touch several apps at once (demo
set-up, backup and restore, retention purge, key rotation). The top layer: nothing
imports it."""
