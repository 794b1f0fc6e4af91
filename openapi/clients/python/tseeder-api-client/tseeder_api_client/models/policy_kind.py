from enum import StrEnum

class PolicyKind(StrEnum):
    RETENTION = "retention"
    ROUTER = "router"

    def __str__(self) -> str:
        return str(self.value)
