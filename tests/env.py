"""Test environment, loaded as a pytest plugin (-p tests.env) before Django reads its settings."""

import os

os.environ.setdefault("SECRET_KEY", "tests-only-not-a-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz")
os.environ.setdefault("SECURE_HTTPS", "false")
os.environ.setdefault("STATIC_MANIFEST", "false")
os.environ.setdefault("DEBUG", "false")
# Background tasks run inside the request in tests.
os.environ.setdefault("TASKS_BACKEND", "immediate")
# Playwright runs an event loop in the test thread; the live server is a real thread.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
