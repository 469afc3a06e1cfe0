"""Who did and who read what (稽核紀錄): every login, every state change, every read of personal data."""
