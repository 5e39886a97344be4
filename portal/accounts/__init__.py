"""Staff accounts: who may sign in, with which role, for which agency, and what each role may do."""
