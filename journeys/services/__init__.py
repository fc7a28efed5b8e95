from .mix import journey_set_target

__all__ = ["journey_set_target"]
