from fastapi import APIRouter
from sqlalchemy import text

from app.database import engine

router = APIRouter()


@router.get("/health")
def health():
    with engine.connect() as conn:  # expect: FS101 "served by gunicorn's workers (Dockerfile line 4)"
        return {"database": conn.execute(text("SELECT 1")).scalar() == 1}
