"""Protocol clients that connect when made: an FTP session the parent logged in to, read by pool
workers, and an SFTP channel over an SSH transport the parent opened, handed to a child."""
import ftplib
import multiprocessing

import paramiko

ftp = None


def download(name):
    with open(name, "wb") as out:
        ftp.retrbinary("RETR " + name, out.write)  # expect: FS101 "ftplib.FTP() made at line 29"


def upload(sftp, name):
    sftp.put(name, name)


def mirror():
    transport = paramiko.Transport(("files", 22))
    transport.connect(username="backup", password="secret")
    sftp = paramiko.SFTPClient.from_transport(transport)
    child = multiprocessing.Process(target=upload, args=(sftp, "a"))  # expect: FS102 "from_transport("
    child.start()


if __name__ == "__main__":
    ftp = ftplib.FTP("files")
    ftp.login("user", "secret")
    names = ftp.nlst()
    with multiprocessing.Pool() as pool:
        pool.map(download, names)
    mirror()
