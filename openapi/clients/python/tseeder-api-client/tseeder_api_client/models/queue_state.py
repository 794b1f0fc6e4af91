from enum import StrEnum

class QueueState(StrEnum):
    DEAD = "dead"
    READY = "ready"

    def __str__(self) -> str:
        return str(self.value)
