from core.database import get_db
from core.models import Vendor
from fastapi import Depends, FastAPI
from sqlalchemy.orm import Session

app = FastAPI()


@app.get("/vendors")
def vendors(db: Session = Depends(get_db)):  # noqa: B008 (FastAPI's way)
    return db.query(Vendor).all()
