"""A Celery task module makes an API client at import and sends a request with it there (to check the
key): the worker's main process opened the client's keep-alive connection before forking its pool,
and every pool child then writes its requests into that one TLS session."""
from celery import Celery
from openai import OpenAI

app = Celery("summaries", broker="redis://queue:6379/0")
llm = OpenAI()
MODELS = [m.id for m in llm.models.list()]


@app.task
def summarise(text):
    return llm.chat.completions.create(model=MODELS[0], messages=[text])  # expect: FS104 "HTTP client"
