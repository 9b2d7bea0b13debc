"""Demo data: fictitious accounts and content for trying SaferHub locally."""
