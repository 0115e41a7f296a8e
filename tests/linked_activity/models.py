from django.db import models

from coordination.models import ClauseActivity, Region


class JointTraining(ClauseActivity):
    title = models.CharField(max_length=100)
    held_on = models.DateField()
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+")

    class Meta:
        app_label = "linked_activity"

    def evidence_facts(self) -> dict:
        return {"kind": "training", "occurred_on": self.held_on, "description": self.title, "region": self.region}
