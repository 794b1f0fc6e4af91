from enum import StrEnum

class Scope(StrEnum):
    ACCOUNTREAD = "account:read"
    ADMIN = "admin"
    JOBSREAD = "jobs:read"
    JOBSWRITE = "jobs:write"

    def __str__(self) -> str:
        return str(self.value)
