"""torch DataLoader workers are forked from the process that made the dataset: its __init__ opened the
SQLite file, and every worker's __getitem__ queries through the parent's connection."""
import sqlite3

from torch.utils.data import DataLoader, Dataset


class Events(Dataset):
    def __init__(self, path):
        self.conn = sqlite3.connect(path)
        self.count = self.conn.execute("select count(*) from events").fetchone()[0]

    def __len__(self):
        return self.count

    def __getitem__(self, index):
        row = self.conn.execute("select * from events where id = ?", (index,))  # expect: FS101 "DataLoader"
        return row.fetchone()


def train(path):
    loader = DataLoader(Events(path), batch_size=32, num_workers=4)
    return [batch for batch in loader]
