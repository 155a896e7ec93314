"""Browser tests: the harness tier and the JupyterLab tier (docs/development.md)."""
