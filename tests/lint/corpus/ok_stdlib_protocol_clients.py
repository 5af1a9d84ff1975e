"""The fix: the parent only lists the files; each worker logs in with its own FTP session, and
each child opens its own SSH transport."""
import ftplib
import multiprocessing

import paramiko


def download(name):
    ftp = ftplib.FTP("files")
    ftp.login("user", "secret")
    with open(name, "wb") as out:
        ftp.retrbinary("RETR " + name, out.write)
    ftp.quit()


def upload(name):
    transport = paramiko.Transport(("files", 22))
    transport.connect(username="backup", password="secret")
    paramiko.SFTPClient.from_transport(transport).put(name, name)


if __name__ == "__main__":
    lister = ftplib.FTP("files")
    lister.login("user", "secret")
    names = lister.nlst()
    lister.quit()
    with multiprocessing.Pool() as pool:
        pool.map(download, names)
    multiprocessing.Process(target=upload, args=("a.txt",)).start()
