from enum import StrEnum

class AlertSeverity(StrEnum):
    CRITICAL = "critical"
    WARNING = "warning"

    def __str__(self) -> str:
        return str(self.value)
