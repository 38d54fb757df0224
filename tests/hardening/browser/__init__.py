"""The Content-Security-Policy in a real browser, on pages the other browser tests do not open."""
