"""Accounts (帳號): users, roles, login, password policy and e-mail verification."""
