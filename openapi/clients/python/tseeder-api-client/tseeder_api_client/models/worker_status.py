from enum import StrEnum

class WorkerStatus(StrEnum):
    CORDONED = "cordoned"
    DRAINING = "draining"
    HEALTHY = "healthy"
    OFFLINE = "offline"

    def __str__(self) -> str:
        return str(self.value)
