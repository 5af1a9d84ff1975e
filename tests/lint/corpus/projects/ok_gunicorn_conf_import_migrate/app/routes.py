from fastapi import APIRouter
from sqlalchemy import text

from app.database import engine

router = APIRouter()


@router.get("/health")
def health():
    with engine.connect() as conn:
        return {"database": conn.execute(text("SELECT 1")).scalar() == 1}
