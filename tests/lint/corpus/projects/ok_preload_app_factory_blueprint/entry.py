from src.app import create_app

application = create_app()
