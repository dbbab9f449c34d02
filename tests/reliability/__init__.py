"""Reliability suite: the real ``maple`` process against the fake Bot API, killed and restarted (crash safety),
fed faulty answers (no token in any output) and asked to /forget (no bytes left in the database files).

``test_crash_safety.py`` is the fast pytest entry point; ``benchmarks/reliability.py`` the long run with figures.
"""
