"""Known-wrong solutions: ``<stem>__<mistake>.py`` makes the mistake named by the catalog key
``<mistake>``. The test suite asserts that the check catches each one and names that mistake."""
