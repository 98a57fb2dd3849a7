from django.db import models


class Generation(models.Model):
    """What bench/generate.py put into this database (sizes, seconds per step, rows), written when
    it finished: a database without one is generated again."""

    record = models.JSONField()
    finished_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return f"{self.record.get('sizes')} ({self.finished_at:%Y-%m-%d %H:%M})"
