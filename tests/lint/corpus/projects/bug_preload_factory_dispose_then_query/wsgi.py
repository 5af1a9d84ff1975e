from journal.app import Entry, create_app

app = create_app()
with app.app_context():
    print(f"{Entry.query.count()} entries")
