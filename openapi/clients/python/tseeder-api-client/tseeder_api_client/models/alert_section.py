from enum import StrEnum

class AlertSection(StrEnum):
    DEAD_LETTERS = "dead_letters"
    PLUGINS = "plugins"
    QUEUE = "queue"
    SCHEDULER = "scheduler"
    STORAGE = "storage"
    WORKERS = "workers"

    def __str__(self) -> str:
        return str(self.value)
