from .models import Run


def execute_run(run_pk):
    run = Run.objects.get(pk=run_pk)
    run.execute()
