"""Production hardening: deploy checks, headers, cookies, rate limits, uploads, /healthz."""
