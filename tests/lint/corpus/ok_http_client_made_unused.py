"""Safe: a Celery task module makes an API client at import but sends nothing with it there. HTTP
clients open their keep-alive connection on the first request, so each pool child that summarises
opens its own; no socket is made before the worker forks."""
from celery import Celery
from openai import OpenAI

app = Celery("summaries", broker="redis://queue:6379/0")
llm = OpenAI()
MODELS = ["small"]


@app.task
def summarise(text):
    return llm.chat.completions.create(model=MODELS[0], messages=[text])
