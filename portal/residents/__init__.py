"""Residents' own accounts: signing in with a code sent by email, all one's complaints in one place,
withdrawing one not yet accepted, downloading one's data, and a choice of how updates are emailed.

Residents are not staff: their accounts, sessions and pages are apart from portal.accounts. An account is only a
verified email: the complaints it shows are those filed with that email, with or without an account."""
