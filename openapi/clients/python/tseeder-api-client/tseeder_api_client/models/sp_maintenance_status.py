from enum import StrEnum

class SpMaintenanceStatus(StrEnum):
    COMPLETED = "completed"
    IN_PROGRESS = "in_progress"
    SCHEDULED = "scheduled"

    def __str__(self) -> str:
        return str(self.value)
