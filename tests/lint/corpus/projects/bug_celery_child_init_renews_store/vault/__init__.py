from vault.store import store


def vault_init():
    store.connect()
