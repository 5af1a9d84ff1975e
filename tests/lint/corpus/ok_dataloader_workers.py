"""Safe twin: the dataset keeps the path and each worker opens the file on first use."""
import sqlite3

from torch.utils.data import DataLoader, Dataset


class Events(Dataset):
    def __init__(self, path):
        self.path = path
        self.conn = None

    def __len__(self):
        return 1000

    def __getitem__(self, index):
        if self.conn is None:
            self.conn = sqlite3.connect(self.path)
        return self.conn.execute("select * from events where id = ?", (index,)).fetchone()


def train(path):
    loader = DataLoader(Events(path), batch_size=32, num_workers=4)
    return [batch for batch in loader]
