from django.apps import AppConfig


class ScreeningConfig(AppConfig):
    name = "fasthold.screening"
    label = "screening"

    def ready(self):
        # The timeline's kinds and their wording (the wording imports models, hence here).
        from fasthold.cases import timeline
        from fasthold.screening import wording

        timeline.register_marked(self.label, "screening", wording.describe)
