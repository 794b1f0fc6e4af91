from enum import StrEnum

class Role(StrEnum):
    ADMIN = "admin"
    SUPERADMIN = "superadmin"
    SUPPORT = "support"
    USER = "user"

    def __str__(self) -> str:
        return str(self.value)
