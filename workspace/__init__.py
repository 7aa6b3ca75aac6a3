"""The pages and commands that combine all apps: the personal dashboard, a board's home page,
the root URLconf, the demo loader, and backup and restore.

The core (privacyregister) and the feature apps (processing, retention, rights) never import
this app; it imports them all. So the dependencies run one way: workspace -> feature apps ->
core. The import-linter contracts in pyproject.toml (`lint-imports`, part of `make lint`) keep
it so.
"""
