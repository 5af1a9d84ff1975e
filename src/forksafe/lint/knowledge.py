"""What the linter knows about libraries, by fully qualified name: one catalogue, pure data.

Kept apart from the analysis so that adding a client or a process API is a one-line change here and
needs no understanding of the data flow. Names are the ones a program reaches after its imports are
resolved (``import psycopg2 as pg; pg.connect`` is ``psycopg2.connect``). Users add their own in
``[tool.forksafe.lint]`` of pyproject.toml (see ``config.py``); the DB-API drivers forksafe's run-time
knows (``forksafe._drivers.all_adapters()``) are merged in by ``catalogue()``.
"""

from __future__ import annotations

import functools
from typing import Optional

# Calls that open a connection (or an engine/client/pool/session that holds sockets) in the process
# that runs them; value: the kind of client, shown in messages. A forked child that touches the object
# shares the parent's socket.
CLIENTS: dict[str, str] = {
    # MySQL
    "MySQLdb.connect": "MySQL connection", "MySQLdb.Connect": "MySQL connection",
    "MySQLdb.Connection": "MySQL connection", "MySQLdb.connections.Connection": "MySQL connection",
    "_mysql.connect": "MySQL connection",
    "pymysql.connect": "MySQL connection", "pymysql.Connect": "MySQL connection",
    "pymysql.Connection": "MySQL connection", "pymysql.connections.Connection": "MySQL connection",
    "mysql.connector.connect": "MySQL connection", "mysql.connector.Connect": "MySQL connection",
    "mysql.connector.MySQLConnection": "MySQL connection",
    "mysql.connector.CMySQLConnection": "MySQL connection",
    "mysql.connector.connection.MySQLConnection": "MySQL connection",
    "mysql.connector.pooling.MySQLConnectionPool": "MySQL pool",
    "aiomysql.connect": "MySQL connection", "aiomysql.create_pool": "MySQL pool",
    # PostgreSQL
    "psycopg2.connect": "PostgreSQL connection",
    "psycopg2.pool.SimpleConnectionPool": "PostgreSQL pool",
    "psycopg2.pool.ThreadedConnectionPool": "PostgreSQL pool",
    "psycopg2.pool.AbstractConnectionPool": "PostgreSQL pool",
    "psycopg.connect": "PostgreSQL connection", "psycopg.Connection.connect": "PostgreSQL connection",
    "psycopg.connection.Connection.connect": "PostgreSQL connection",
    "psycopg.AsyncConnection.connect": "PostgreSQL connection",
    "psycopg_pool.ConnectionPool": "PostgreSQL pool", "psycopg_pool.AsyncConnectionPool": "PostgreSQL pool",
    "psycopg_pool.NullConnectionPool": "PostgreSQL pool",
    "asyncpg.connect": "PostgreSQL connection", "asyncpg.create_pool": "PostgreSQL pool",
    "aiopg.connect": "PostgreSQL connection", "aiopg.create_pool": "PostgreSQL pool",
    "pg8000.connect": "PostgreSQL connection", "pg8000.native.Connection": "PostgreSQL connection",
    # Oracle, SQL Server, ODBC, SQLite
    "oracledb.connect": "Oracle connection", "oracledb.create_pool": "Oracle pool",
    "oracledb.SessionPool": "Oracle pool", "oracledb.ConnectionPool": "Oracle pool",
    "oracledb.Connection": "Oracle connection",
    "cx_Oracle.connect": "Oracle connection", "cx_Oracle.Connection": "Oracle connection",
    "cx_Oracle.SessionPool": "Oracle pool", "cx_Oracle.create_pool": "Oracle pool",
    "pymssql.connect": "SQL Server connection", "pyodbc.connect": "ODBC connection",
    "sqlite3.connect": "SQLite connection", "sqlite3.dbapi2.connect": "SQLite connection",
    # SQLAlchemy engines (their pools keep the sockets)
    "sqlalchemy.create_engine": "SQLAlchemy engine", "sqlalchemy.engine.create_engine": "SQLAlchemy engine",
    "sqlalchemy.engine_from_config": "SQLAlchemy engine",
    "sqlalchemy.ext.asyncio.create_async_engine": "SQLAlchemy engine",
    "sqlmodel.create_engine": "SQLAlchemy engine",  # SQLModel re-exports SQLAlchemy's
    # Framework holders of an engine
    "flask_sqlalchemy.SQLAlchemy": "Flask-SQLAlchemy db",
    "flask.ext.sqlalchemy.SQLAlchemy": "Flask-SQLAlchemy db",
    # Flask-AppBuilder's subclass (``db = SQLA(app)``; Superset and its forks)
    "flask_appbuilder.SQLA": "Flask-SQLAlchemy db",
    "flask_appbuilder.models.sqla.SQLA": "Flask-SQLAlchemy db",
    # MongoDB
    "pymongo.MongoClient": "MongoDB client", "pymongo.mongo_client.MongoClient": "MongoDB client",
    "motor.motor_asyncio.AsyncIOMotorClient": "MongoDB client",
    "motor.motor_tornado.MotorClient": "MongoDB client",
    # Redis: only the asyncio client (the sync client resets its pool by pid; see SAFE_CALLS)
    "redis.asyncio.Redis": "Redis client", "redis.asyncio.from_url": "Redis client",
    "redis.asyncio.StrictRedis": "Redis client", "redis.asyncio.client.Redis": "Redis client",
    "redis.asyncio.Redis.from_url": "Redis client", "aioredis.from_url": "Redis client",
    "aioredis.Redis": "Redis client", "aioredis.create_redis_pool": "Redis client",
    # AMQP
    "pika.BlockingConnection": "AMQP connection", "pika.SelectConnection": "AMQP connection",
    "pika.adapters.blocking_connection.BlockingConnection": "AMQP connection",
    # kombu connects on first use (``channel()``, ``default_channel``, ``ensure_connection()``): LAZY_KINDS
    **dict.fromkeys(["kombu.Connection", "kombu.BrokerConnection", "kombu.connection.Connection",
                     "kombu.connection.BrokerConnection"], "AMQP connection (kombu)"),
    # HTTP keep-alive pools
    "requests.Session": "HTTP session", "requests.session": "HTTP session",
    "requests.sessions.Session": "HTTP session",
    "urllib3.PoolManager": "HTTP pool", "urllib3.HTTPConnectionPool": "HTTP pool",
    "urllib3.HTTPSConnectionPool": "HTTP pool", "urllib3.connection_from_url": "HTTP pool",
    "httpx.Client": "HTTP client", "httpx.AsyncClient": "HTTP client",
    "aiohttp.ClientSession": "HTTP session", "http.client.HTTPConnection": "HTTP connection",
    "http.client.HTTPSConnection": "HTTP connection",
    # XML-RPC proxies: their transport keeps the HTTP/1.1 connection of the last call open for the next
    "xmlrpc.client.ServerProxy": "XML-RPC proxy", "xmlrpc.client.Server": "XML-RPC proxy",
    "xmlrpclib.ServerProxy": "XML-RPC proxy", "xmlrpclib.Server": "XML-RPC proxy",
    # Clients built on an HTTP keep-alive pool (urllib3 underneath)
    "boto3.client": "AWS client", "boto3.resource": "AWS client",
    "boto3.Session": "AWS session", "boto3.session.Session": "AWS session",
    "docker.from_env": "Docker client", "docker.DockerClient": "Docker client",
    "docker.APIClient": "Docker client", "docker.Client": "Docker client",
    "docker.AutoVersionClient": "Docker client", "docker.client.DockerClient": "Docker client",
    "elasticsearch.Elasticsearch": "Elasticsearch client",
    "elasticsearch.AsyncElasticsearch": "Elasticsearch client",
    "opensearchpy.OpenSearch": "OpenSearch client",
    # API clients that keep a requests / httpx / urllib3 keep-alive pool for their lifetime
    "openai.OpenAI": "HTTP client", "openai.AsyncOpenAI": "HTTP client",
    "openai.AzureOpenAI": "HTTP client", "anthropic.Anthropic": "HTTP client",
    "anthropic.AsyncAnthropic": "HTTP client",
    "mwclient.Site": "HTTP session", "dropbox.Dropbox": "HTTP session",
    "hvac.Client": "HTTP session", "pysolr.Solr": "HTTP session",
    "zeep.Client": "HTTP session", "jira.JIRA": "HTTP session", "github.Github": "HTTP session",
    "gitlab.Gitlab": "HTTP session", "arango.ArangoClient": "HTTP session",
    "hdfs.InsecureClient": "HTTP session", "qdrant_client.QdrantClient": "HTTP client",
    "minio.Minio": "HTTP pool", "clickhouse_connect.get_client": "ClickHouse client",
    "oandapyV20.API": "HTTP session", "oandapyV20.oandapyV20.API": "HTTP session",
    "pymemcache.client.base.Client": "memcached client", "pymemcache.Client": "memcached client",
    "pymemcache.client.hash.HashClient": "memcached client",
    "pymemcache.client.base.PooledClient": "memcached client",
    "aio_pika.connect": "AMQP connection", "aio_pika.connect_robust": "AMQP connection",
    "aiokafka.AIOKafkaProducer": "Kafka client", "aiokafka.AIOKafkaConsumer": "Kafka client",
    "kazoo.client.KazooClient": "ZooKeeper client", "py2neo.Graph": "Neo4j driver",
    "neo4j.v1.GraphDatabase.driver": "Neo4j driver", "pykafka.KafkaClient": "Kafka client (pykafka)",
    "memcache.Client": "memcached client", "pylibmc.Client": "memcached client",
    "trino.dbapi.connect": "Trino connection", "pyhive.hive.connect": "Hive connection",
    "impala.dbapi.connect": "Impala connection", "ibm_db.connect": "Db2 connection",
    "teradatasql.connect": "Teradata connection", "databases.Database": "database pool",
    "asyncmy.connect": "MySQL connection", "asyncmy.create_pool": "MySQL pool",
    "cymysql.connect": "MySQL connection", "aioodbc.connect": "ODBC connection",
    "aioodbc.create_pool": "ODBC pool", "turbodbc.connect": "ODBC connection",
    "jaydebeapi.connect": "JDBC connection", "hdbcli.dbapi.connect": "SAP HANA connection",
    "fdb.connect": "Firebird connection", "firebirdsql.connect": "Firebird connection",
    "pyexasol.connect": "Exasol connection", "redshift_connector.connect": "Redshift connection",
    "databricks.sql.connect": "Databricks connection", "pyathena.connect": "Athena connection",
    "records.Database": "SQLAlchemy engine", "dataset.connect": "SQLAlchemy engine",
    "sqlsoup.SQLSoup": "SQLAlchemy engine",  # the SQLAlchemy 0.x extension (eStation2)
    # other libraries' drivers that build a SQLAlchemy engine when made (Gen3's data models)
    "userdatamodel.driver.SQLAlchemyDriver": "SQLAlchemy engine",
    "psqlgraph.PsqlGraphDriver": "SQLAlchemy engine", "psqlgraph.psql.PsqlGraphDriver": "SQLAlchemy engine",
    "sqlobject.connectionForURI": "SQLObject connection", "postgresql.open": "PostgreSQL connection",
    # cloud clients: HTTP keep-alive pools, or gRPC channels (which cannot follow a fork at all)
    "google.cloud.bigquery.Client": "HTTP session", "google.cloud.storage.Client": "HTTP session",
    "google.cloud.firestore.Client": "gRPC channel", "google.cloud.pubsub_v1.PublisherClient": "gRPC channel",
    "google.cloud.pubsub_v1.SubscriberClient": "gRPC channel",
    "google.cloud.datastore.Client": "gRPC channel",
    "azure.storage.blob.BlobServiceClient": "HTTP session", "azure.cosmos.CosmosClient": "HTTP session",
    "azure.storage.blob.BlobServiceClient.from_connection_string": "HTTP session",
    # Clients whose library threads and sockets cannot follow a fork at all (see docs/clients/unsafe.md)
    "confluent_kafka.Producer": "Kafka client", "confluent_kafka.Consumer": "Kafka client",
    "confluent_kafka.SerializingProducer": "Kafka client",
    "confluent_kafka.DeserializingConsumer": "Kafka client",
    "confluent_kafka.admin.AdminClient": "Kafka client",
    "kafka.KafkaProducer": "Kafka client", "kafka.KafkaConsumer": "Kafka client",
    "grpc.insecure_channel": "gRPC channel", "grpc.secure_channel": "gRPC channel",
    "grpc.aio.insecure_channel": "gRPC channel", "grpc.aio.secure_channel": "gRPC channel",
    "zmq.Context": "ZeroMQ context", "zmq.Context.instance": "ZeroMQ context",
    # More databases
    "mariadb.connect": "MariaDB connection", "mariadb.ConnectionPool": "MariaDB pool",
    "snowflake.connector.connect": "Snowflake connection",
    "vertica_python.connect": "Vertica connection",
    "pymongo.MongoReplicaSetClient": "MongoDB client", "mongoengine.connect": "MongoDB client",
    "mongoengine.connection.connect": "MongoDB client",
    # pymongo 2.x: ``Connection`` and ``ReplicaSetConnection`` connect when made, like MongoClient
    "pymongo.Connection": "MongoDB client", "pymongo.connection.Connection": "MongoDB client",
    "pymongo.ReplicaSetConnection": "MongoDB client",
    "flask_pymongo.PyMongo": "Flask-PyMongo client",
    "cassandra.cluster.Cluster": "Cassandra cluster", "neo4j.GraphDatabase.driver": "Neo4j driver",
    "happybase.Connection": "HBase connection", "happybase.ConnectionPool": "HBase pool",
    "paho.mqtt.client.Client": "MQTT client",
    "torndb.Connection": "MySQL connection",
    # DBUtils pools open ``mincached`` connections when made, and hand them out by ``.connection()``
    "DBUtils.PooledDB.PooledDB": "DB-API pool", "dbutils.pooled_db.PooledDB": "DB-API pool",
    "DBUtils.PersistentDB.PersistentDB": "DB-API pool", "dbutils.persistent_db.PersistentDB": "DB-API pool",
    "clickhouse_driver.Client": "ClickHouse client", "clickhouse_driver.connect": "ClickHouse connection",
    "ldap3.Connection": "LDAP connection", "ldap.initialize": "LDAP connection",
    "influxdb.InfluxDBClient": "InfluxDB client", "influxdb_client.InfluxDBClient": "InfluxDB client",
    "stomp.Connection": "STOMP connection", "nsq.Writer": "NSQ client",
    # more stores and brokers (connect when made unless listed in LAZY_CLIENTS)
    "couchbase.cluster.Cluster": "Couchbase cluster", "couchbase.bucket.Bucket": "Couchbase bucket",
    "couchdb.Server": "CouchDB server (HTTP)", "rethinkdb.connect": "RethinkDB connection",
    # python-cloudant: a requests session that logs in on ``connect()`` (Apache OpenWhisk's providers)
    **dict.fromkeys(["cloudant.client.CouchDB", "cloudant.client.Cloudant", "cloudant.Cloudant",
                     "cloudant.couchdb", "cloudant.cloudant"], "CouchDB client (HTTP)"),
    "rethinkdb.r.connect": "RethinkDB connection", "tarantool.connect": "Tarantool connection",
    "tarantool.Connection": "Tarantool connection", "prestodb.dbapi.connect": "Presto connection (HTTP)",
    "pymilvus.MilvusClient": "Milvus client", "weaviate.Client": "Weaviate client",
    "weaviate.connect_to_local": "Weaviate client", "weaviate.connect_to_custom": "Weaviate client",
    "weaviate.connect_to_weaviate_cloud": "Weaviate client", "chromadb.HttpClient": "Chroma client",
    "pinecone.Pinecone": "Pinecone client (HTTP)", "meilisearch.Client": "Meilisearch client (HTTP)",
    "typesense.Client": "Typesense client (HTTP)", "bmemcached.Client": "memcached client",
    "asyncssh.connect": "SSH connection", "nats.connect": "NATS connection",
    "google.cloud.spanner.Client": "gRPC channel", "etcd3.client": "gRPC channel",
    "consul.Consul": "Consul client (HTTP)", "twilio.rest.Client": "Twilio client (HTTP)",
    "kubernetes.client.ApiClient": "Kubernetes API client",
    "kubernetes.client.CoreV1Api": "Kubernetes API client",
    "kubernetes.client.AppsV1Api": "Kubernetes API client",
    "kubernetes.client.BatchV1Api": "Kubernetes API client",
    "kubernetes.client.CustomObjectsApi": "Kubernetes API client",
    # ``build()`` fetches the discovery document over an httplib2 connection it keeps alive
    "googleapiclient.discovery.build": "Google API client (httplib2)",
    "httplib2.Http": "httplib2 HTTP client",
    # Sockets other protocols keep open (the standard library's clients connect when made; a raw
    # ``socket`` and py-amqp connections are found when the program connects them: CONNECTING_METHODS)
    "ftplib.FTP": "FTP connection", "ftplib.FTP_TLS": "FTP connection",
    "smtplib.SMTP": "SMTP connection", "smtplib.SMTP_SSL": "SMTP connection",
    "imaplib.IMAP4": "IMAP connection", "imaplib.IMAP4_SSL": "IMAP connection",
    "poplib.POP3": "POP3 connection", "poplib.POP3_SSL": "POP3 connection",
    "telnetlib.Telnet": "Telnet connection",
    "paramiko.SSHClient": "SSH client", "paramiko.client.SSHClient": "SSH client",
    "paramiko.Transport": "SSH transport", "paramiko.transport.Transport": "SSH transport",
    "pysftp.Connection": "SFTP connection",
    "websocket.create_connection": "websocket", "websocket.WebSocket": "websocket",
    "websocket.WebSocketApp": "websocket",
    # peewee databases (connect on first query; models bound through ``class Meta: database = db``)
    "peewee.SqliteDatabase": "peewee database", "peewee.MySQLDatabase": "peewee database",
    "peewee.PostgresqlDatabase": "peewee database",
    "playhouse.pool.PooledMySQLDatabase": "peewee database",
    "playhouse.pool.PooledPostgresqlDatabase": "peewee database",
    "playhouse.db_url.connect": "peewee database",
    # ... and playhouse's (the extension modules and their pooled forms)
    **dict.fromkeys([f"playhouse.{name}" for name in (
        "pool.PooledSqliteDatabase", "pool.PooledSqliteExtDatabase", "pool.PooledCSqliteExtDatabase",
        "pool.PooledPostgresqlExtDatabase", "sqlite_ext.SqliteExtDatabase", "sqlite_ext.CSqliteExtDatabase",
        "postgres_ext.PostgresqlExtDatabase", "mysql_ext.MySQLConnectorDatabase",
        "mysql_ext.MariaDBConnectorDatabase", "cockroachdb.CockroachDatabase",
        "cockroachdb.PooledCockroachDatabase", "apsw_ext.APSWDatabase")], "peewee database"),
}

FLASK_SQLALCHEMY: frozenset[str] = frozenset({"flask_sqlalchemy.SQLAlchemy",
                                              "flask.ext.sqlalchemy.SQLAlchemy", "flask_appbuilder.SQLA",
                                              "flask_appbuilder.models.sqla.SQLA"})

# Clients a pinned version makes lazy: (pattern over a requirements / setup file, the clients).
# Flask-SQLAlchemy 2.x creates its engine on the first ``db.engine`` / query, in that process.
LAZY_BY_VERSION: tuple[tuple[str, frozenset[str]], ...] = (
    (r"flask[-_]sqlalchemy[\s\"'=:]*\(?\s*(?:==|~=|<=?|\^)?\s*[\"']?2\.|egg=flask[-_]sqlalchemy==2\.|"
     r"flask[-_]sqlalchemy\s*\(?\s*<\s*3", FLASK_SQLALCHEMY),
)

# Calls on a lazy client that set it up without connecting (``db.init_app(app)``; capitalised names,
# ``db.Column(db.Integer)``, are column types and the model base, which connect nothing either).
SETUP_METHODS: frozenset[str] = frozenset({"init_app", "relationship", "backref", "configure", "get_app",
                                          "mount"})  # ``session.mount(prefix, HTTPAdapter(...))``

def opens_by_method(method: str) -> bool:
    """Does calling ``method`` on a client go through it? Not setup (``db.init_app(app)``), a
    closing context (``connection_context()``) or one of its classes (``db.Column(...)``)."""
    return method not in SETUP_METHODS and method not in CLOSING_CONTEXTS and not method[:1].isupper()


# Attributes that hold a client's settings: calls on them (``session.headers.update({...})``,
# ``session.cookies.set(...)``) configure it and open nothing.
SETTINGS_ATTRIBUTES: frozenset[str] = frozenset({"headers", "cookies", "params", "proxies", "hooks", "auth"})

# Attributes that only describe a client, read without touching its sockets: a child that reads
# ``engine.url`` to open a connection of its own (``psycopg2.connect(str(engine.url))``) uses nothing
# the parent opened.
DESCRIPTIVE_ATTRIBUTES: frozenset[str] = frozenset({"url", "dialect", "driver", "dsn"})

# Kinds of client that open nothing until first used, in the process that uses them: a peewee database
# connects on its first query (or ``db.connect()``), a kombu connection on its first ``channel()``.
LAZY_KINDS: frozenset[str] = frozenset({"peewee database", "AMQP connection (kombu)"})

# Context managers that open a connection and close it again on exit (peewee's
# ``with db.connection_context():``): what runs inside leaves nothing open for a fork after it.
CLOSING_CONTEXTS: frozenset[str] = frozenset({"connection_context"})

# Holders that make their engine when bound to an app, by kind -> the binding method: Flask-SQLAlchemy's
# ``db = SQLAlchemy()`` has no engine until ``db.init_app(app)``, so a process that forks before any
# binding (``create_app()`` only in ``worker_process_init``) leaves each child to make its own.
BOUND_BY: dict[str, str] = {"Flask-SQLAlchemy db": "init_app"}

# A client is lazy (opens nothing until first used) when built with this keyword set to this value:
# made in the parent and first used in the child, each child opens its own sockets.
LAZY_WHEN: dict[str, tuple[str, object]] = {
    "pymongo.MongoClient": ("connect", False),
    "pymongo.mongo_client.MongoClient": ("connect", False),
    "mongoengine.connect": ("connect", False),
    "mongoengine.connection.connect": ("connect", False),
    "motor.motor_asyncio.AsyncIOMotorClient": ("connect", False),
    "motor.motor_tornado.MotorClient": ("connect", False),
}

# Clients that open nothing when made: their pool connects on the first request, in the process that
# sends it. Made in the parent and first used in a child, each child opens its own sockets; only a
# request the parent sent before the fork leaves a connection for the children to share. (Clients
# that talk to the server while being made stay eager: mwclient's ``Site`` and zeep's ``Client``
# fetch the site info and the WSDL, JIRA the server info, docker the API version, Cosmos the account.)
LAZY_CLIENTS: frozenset[str] = frozenset({
    # ``flask.ext.sqlalchemy`` is the import path of Flask < 1.0, so of Flask-SQLAlchemy 2.x or older,
    # which makes its engine on first use (as a pinned 2.x: LAZY_BY_VERSION)
    "flask.ext.sqlalchemy.SQLAlchemy",
    "requests.Session", "requests.session", "requests.sessions.Session",
    "urllib3.PoolManager", "urllib3.HTTPConnectionPool", "urllib3.HTTPSConnectionPool",
    "urllib3.connection_from_url", "httpx.Client", "httpx.AsyncClient", "aiohttp.ClientSession",
    "http.client.HTTPConnection", "http.client.HTTPSConnection",
    "xmlrpc.client.ServerProxy", "xmlrpc.client.Server", "xmlrpclib.ServerProxy", "xmlrpclib.Server",
    "boto3.client", "boto3.resource", "boto3.Session", "boto3.session.Session",
    "elasticsearch.Elasticsearch", "elasticsearch.AsyncElasticsearch", "opensearchpy.OpenSearch",
    "openai.OpenAI", "openai.AsyncOpenAI", "openai.AzureOpenAI", "anthropic.Anthropic",
    "anthropic.AsyncAnthropic", "dropbox.Dropbox", "hvac.Client", "pysolr.Solr", "github.Github",
    "gitlab.Gitlab", "arango.ArangoClient", "hdfs.InsecureClient", "minio.Minio", "oandapyV20.API",
    "oandapyV20.oandapyV20.API",
    "couchdb.Server", "prestodb.dbapi.connect", "pinecone.Pinecone", "meilisearch.Client",
    "typesense.Client", "consul.Consul", "twilio.rest.Client", "httplib2.Http",
    "kubernetes.client.ApiClient", "kubernetes.client.CoreV1Api", "kubernetes.client.AppsV1Api",
    "kubernetes.client.BatchV1Api", "kubernetes.client.CustomObjectsApi",
    # memcached clients connect to a server on its first command
    "bmemcached.Client",
    "memcache.Client", "pylibmc.Client", "pymemcache.client.base.Client", "pymemcache.Client",
    "pymemcache.client.hash.HashClient", "pymemcache.client.base.PooledClient",
    "google.cloud.bigquery.Client", "google.cloud.storage.Client",
    "azure.storage.blob.BlobServiceClient", "azure.storage.blob.BlobServiceClient.from_connection_string",
})

# A database private to the process that holds it, so each side of a fork has its own copy and
# nothing is shared: SQLite in memory (``:memory:``) or in a private temporary file (``""``).
# Value: (position, keyword) of the argument, and the literal values that make it private.
PRIVATE_WHEN: dict[str, tuple[int, str, frozenset[str]]] = {
    "sqlite3.connect": (0, "database", frozenset({":memory:", ""})),
    "sqlite3.dbapi2.connect": (0, "database", frozenset({":memory:", ""})),
}

# ... and keeps no socket at all when built with this keyword naming this class (no pool to inherit).
POOLLESS_WHEN: dict[str, tuple[str, str]] = {
    "sqlalchemy.create_engine": ("poolclass", "sqlalchemy.pool.NullPool"),
    "sqlalchemy.engine.create_engine": ("poolclass", "sqlalchemy.pool.NullPool"),
    "sqlalchemy.ext.asyncio.create_async_engine": ("poolclass", "sqlalchemy.pool.NullPool"),
    "sqlmodel.create_engine": ("poolclass", "sqlalchemy.pool.NullPool"),
}
# ... or with this keyword's dict giving that class (``SQLAlchemy(engine_options={"poolclass": NullPool})``)
POOLLESS_OPTIONS: dict[str, tuple[str, str, str]] = {
    qual: ("engine_options", "poolclass", "sqlalchemy.pool.NullPool") for qual in FLASK_SQLALCHEMY}

# Django calls that open ``django.db.connection`` in the process that makes them (a query does too)
DJANGO_OPENS: frozenset[str] = frozenset({"django.db.transaction.atomic", "django.db.connection.cursor",
                                          "django.db.connection.ensure_connection"})
# Base classes of Django management commands (``handle()`` runs before any query of the command's).
# Django's base class of the apps' configs: ``django.setup()`` calls each one's ``ready()``
DJANGO_APP_CONFIGS: frozenset[str] = frozenset({"django.apps.AppConfig", "django.apps.config.AppConfig"})
# ... what calls ``django.setup()`` (and with it every installed app's ``ready()``) in the process that
# makes the call: a WSGI/ASGI module does at import, in a preloading server's master
DJANGO_SETUP_CALLS: frozenset[str] = frozenset({"django.setup", "django.core.wsgi.get_wsgi_application",
                                                "django.core.asgi.get_asgi_application"})
# ... and the modules of each installed app that ``django.setup()`` imports: ``apps`` and ``models``
DJANGO_SETUP_MODULES: frozenset[str] = frozenset({"apps", "models"})
DJANGO_COMMANDS: frozenset[str] = frozenset({"django.core.management.base.BaseCommand",
                                             "django.core.management.BaseCommand"})

# Methods by which a Django model instance writes or reads through the ORM's connection.
ORM_INSTANCE_METHODS: frozenset[str] = frozenset({"save", "delete", "refresh_from_db"})

# Object mappers whose documents query through a default client that these calls connect.
DOCUMENT_ORM_CONNECTS: frozenset[str] = frozenset({"mongoengine.connect", "mongoengine.connection.connect"})

# Names that *are* a connection holder once imported (Django's lazily opened per-thread connections).
IMPORTED_HOLDERS: dict[str, str] = {
    "django.db.connection": "Django connection",
    "django.db.connections": "Django connections",
}
# Celery's Django fixup closes Django's connections in every pool child (worker_process_init), so these
# kinds are never reported in Celery tasks.
CELERY_RESETS: frozenset[str] = frozenset({"Django connection", "Django connections"})

# Fork-aware already: never reported. Listed so the rule is explicit and documented, not accidental.
SAFE_CALLS: frozenset[str] = frozenset(
    {
        "forksafe.connect",
        "forksafe.Pool",
        "redis.Redis",
        "redis.StrictRedis",
        "redis.from_url",
        "redis.client.Redis",
        "redis.Redis.from_url",
        "redis.ConnectionPool",
    }
)
# ``forksafe.patch()`` makes these safe from the call on (zero-code mode; its list of drivers).
PATCH_CALLS: frozenset[str] = frozenset({"forksafe.patch"})
PATCHED_CLIENT_MODULES: frozenset[str] = frozenset(
    {"psycopg2", "psycopg", "MySQLdb", "pymysql", "mysql", "sqlite3", "sqlalchemy"}
)

# Calls that wrap a tracked object and share its sockets (a session factory bound to an engine).
WRAPPING_CALLS: frozenset[str] = frozenset(
    {
        "sqlalchemy.orm.sessionmaker",
        "sqlalchemy.orm.scoped_session",
        "sqlalchemy.orm.Session",
        "sqlalchemy.orm.session.Session",
        "sqlalchemy.orm.session.sessionmaker",
        "sqlalchemy.ext.asyncio.async_sessionmaker",
        "sqlalchemy.ext.asyncio.AsyncSession", "sqlmodel.Session",
        "paramiko.SFTPClient.from_transport", "paramiko.SFTP.from_transport",
        "paramiko.sftp_client.SFTPClient.from_transport",
    }
)

# Decorators that memoise a function's result: a client it returns is made once per process, and a
# child forked after the parent's first call gets the parent's.
CACHING_DECORATORS: frozenset[str] = frozenset({"functools.lru_cache", "functools.cache",
                                                "cachetools.cached", "cachetools.func.lru_cache"})
# Library constructors that hand back the process's existing instance for the same settings
# (py2neo 2020 keeps one ``Graph`` per profile): after the parent made one, a child's call of the
# constructor is the parent's object, with the parent's pooled connections.
SHARED_INSTANCES: frozenset[str] = frozenset({"py2neo.Graph", "py2neo.database.Graph"})

# Modules whose ``include("app.urls")`` imports the named URLconf at once (Django).
URL_INCLUDE_MODULES: frozenset[str] = frozenset({"django.urls", "django.conf.urls"})

# Web app constructors, and the proxies that stand for the app inside a request (``current_app.db`` is
# the ``app.db`` the module set).
WEB_APPS: frozenset[str] = frozenset({"flask.Flask", "quart.Quart"})
CURRENT_APP: frozenset[str] = frozenset({"flask.current_app", "quart.current_app"})

# Calls that build a record of what they are given, keywords included: the record holds a client it
# is given (``SimpleNamespace(db=conn)``, ``dict(db=conn)``).
RECORD_CALLS: frozenset[str] = frozenset({"types.SimpleNamespace", "argparse.Namespace", "dict",
                                          "collections.OrderedDict"})
# Decorators and bases of classes whose generated ``__init__`` stores each field it is given
# (``@dataclass class Ctx: conn: Connection``).
RECORD_CLASS_DECORATORS: frozenset[str] = frozenset({
    "dataclasses.dataclass", "attr.s", "attr.attrs", "attr.define", "attr.frozen", "attr.mutable",
    "attrs.define", "attrs.frozen", "attrs.mutable", "pydantic.dataclasses.dataclass"})
RECORD_CLASS_BASES: frozenset[str] = frozenset({"typing.NamedTuple", "pydantic.BaseModel",
                                                "typing.TypedDict"})

# CapWords calls that take a client as an argument without holding on to it (``taint._wrapper``):
# processes and threads are entry points, not wrappers.
NOT_WRAPPERS: frozenset[str] = frozenset(
    {"multiprocessing.Process", "billiard.Process", "threading.Thread", "threading.Timer",
     "multiprocessing.pool.ThreadPool", "concurrent.futures.ThreadPoolExecutor", "weakref.ref",
     "weakref.WeakValueDictionary", "contextlib.ExitStack"}
)

# Clients that pickle into a fresh object with no sockets: handed to a pool task, an executor or a
# queued job as an argument (pickled, not inherited), each child gets its own. (Every other client in
# the catalogue fails to pickle; that error is still reported, as FS102.)
PICKLED_FRESH: frozenset[str] = frozenset({"requests.Session()", "requests.session()",
                                           "requests.sessions.Session()"})

# Kinds of client whose attributes and items are handles on the same sockets (``client.app.users``,
# ``docker_client.containers``, ``db.session``, ``s3.Bucket``).
CHAINABLE_KINDS: frozenset[str] = frozenset({"Mongo", "Flask", "Docker", "AWS", "pykafka"})

# Methods by which a program connects an object of a library the catalogue does not know to a server
# (``mqtt.Client().connect(host)``, ``socket.socket().connect(addr)``, ``FTP().login(user, pw)``): the
# object holds that socket from then on.
CONNECTING_METHODS: frozenset[str] = frozenset({"connect", "login", "open_session", "start_session"})

# Methods on a connection-like object whose result shares the same socket.
DERIVED_METHODS: frozenset[str] = frozenset(
    {"cursor", "connect", "begin", "raw_connection", "get_database", "get_collection",
     "get_default_database", "getconn", "connection", "acquire", "channel", "session",
     "get_conn", "execution_options", "get_bind", "client", "resource",
     # pykafka: a topic's producers and consumers talk to the client's brokers
     "get_sync_producer", "get_producer", "get_simple_consumer", "get_balanced_consumer"}
)
# Methods of a container of tracked objects (or a client whose attributes are handles) that give back
# one of them; any other method's result (``db.session.execute(q).all()``) is data, not a handle.
ELEMENT_METHODS: frozenset[str] = frozenset(
    {"get", "pop", "popitem", "setdefault", "values", "items", "copy", "__getitem__", "get_database",
     "get_collection", "get_default_database", "with_options", "find", "aggregate", "watch",
     "create", "list", "run"}  # docker: ``client.containers.create()`` gives a Container on the client
)
# Methods that drop a holder's sockets: called in the child (SQLAlchemy's close=False recipe) or in the
# parent before the fork (everything inherited is closed, children open their own).
RESET_IN_CHILD: frozenset[str] = frozenset({"dispose"})  # only with close=False
RESET_BEFORE_FORK: frozenset[str] = frozenset({"dispose", "close", "close_all", "closeall",
                                               "close_old_connections"})  # Django, CONN_MAX_AGE 0
# ... and, by kind of client, methods that leave the calling child no silently shared connection when
# it calls them before any use: peewee's ``db.connect()`` opens a new one (peewee 2, per-thread state)
# or raises "Connection already opened" (peewee 3) rather than reuse the parent's.
RESET_IN_CHILD_BY_KIND: dict[str, frozenset[str]] = {
    "peewee database": frozenset({"connect"}),
    # Django's ``connection.connect()`` replaces the wrapped DB-API connection with a new one
    "Django connection": frozenset({"connect"}), "Django connections": frozenset({"connect"}),
}

# Holders whose ``Model`` attribute is the base of ORM models that query through them
# (``class User(db.Model)``; ``User.query`` uses ``db.session``).
MODEL_BASE_HOLDERS: frozenset[str] = frozenset({"Flask-SQLAlchemy db"})

# Kinds of client whose object, once garbage collected, closes its connections (a DB-API connection's
# dealloc, SQLAlchemy's pool finalizers): a child that drops the parent's sends the goodbye over the
# shared socket. A dropped MongoClient or HTTP session closes nothing.
CLOSED_WHEN_COLLECTED: frozenset[str] = frozenset(
    {"SQLAlchemy engine", "PostgreSQL connection", "PostgreSQL pool", "MySQL connection", "MySQL pool",
     "Oracle connection", "Oracle pool", "SQL Server connection", "ODBC connection", "MariaDB connection",
     "MariaDB pool", "Flask-SQLAlchemy db"}
)

# Constructors of a process made by fork (unless a spawn/forkserver context is used).
PROCESS_CLASSES: frozenset[str] = frozenset(
    {"multiprocessing.Process", "multiprocessing.process.BaseProcess", "multiprocessing.context.Process",
     "billiard.Process", "gipc.start_process",  # gipc: a multiprocessing.Process, started at once
     "multiprocess.Process", "multiprocess.context.Process",  # multiprocess: the dill-based fork
     "torch.multiprocessing.Process"}  # torch re-exports multiprocessing's
)
# ... and the calls that run a ``target=`` function with ``args=`` (in a child, or in a thread)
PROCESS_TARGET_CALLS: frozenset[str] = PROCESS_CLASSES | {"threading.Thread"}
POOL_CLASSES: frozenset[str] = frozenset(
    {"multiprocessing.Pool", "multiprocessing.pool.Pool", "billiard.Pool", "multiprocess.Pool",
     "multiprocess.pool.Pool", "pathos.multiprocessing.ProcessingPool", "pathos.multiprocessing.ProcessPool",
     "pathos.pools.ProcessPool", "pathos.pools.ProcessingPool", "torch.multiprocessing.Pool"}
)
EXECUTOR_CLASSES: frozenset[str] = frozenset(
    {"concurrent.futures.ProcessPoolExecutor", "concurrent.futures.process.ProcessPoolExecutor",
     "loky.ProcessPoolExecutor", "pebble.ProcessPool"}
)
# Engines that fork workers for the program's own objects. torch's DataLoader with ``num_workers``
# (not 0) forks worker processes that call the dataset's ``__getitem__``/``__iter__``; luigi's
# ``build(..., workers=N)`` (N > 1) runs each task's ``run()`` in a forked process.
DATALOADERS: frozenset[str] = frozenset({"torch.utils.data.DataLoader",
                                          "torch.utils.data.dataloader.DataLoader"})
DATASET_METHODS: tuple[str, ...] = ("__getitem__", "__iter__", "__getitems__")
LUIGI_BUILD: frozenset[str] = frozenset({"luigi.build", "luigi.interface.build"})
LUIGI_TASK_BASES: frozenset[str] = frozenset({"luigi.Task", "luigi.task.Task", "luigi.WrapperTask"})
GET_CONTEXT: frozenset[str] = frozenset({"multiprocessing.get_context"})
# Methods that store functions for a later ``args.<keyword>(...)`` call (argparse sub-commands).
DISPATCH_DEFAULTS: frozenset[str] = frozenset({"set_defaults"})
# Reads of a setting from the environment, with its default as the second argument.
ENVIRONMENT_READS: frozenset[str] = frozenset({"os.environ.get", "os.getenv"})
SET_START_METHOD: frozenset[str] = frozenset({"multiprocessing.set_start_method"})
FORK_CALLS: frozenset[str] = frozenset({"os.fork", "os.forkpty", "pty.fork"})
# Context managers that daemonize on entry (python-daemon): the parent exits, the block runs in the
# child, and so does everything after it.
DAEMON_CONTEXTS: frozenset[str] = frozenset({"daemon.DaemonContext", "daemon.daemon.DaemonContext"})
# Tornado's multi-process mode: ``HTTPServer.start(n)`` with n != 1 (0: one per core) and
# ``tornado.process.fork_processes(n)`` fork the process that built the Application; every request
# handler then runs in a child, with whatever the Application was given.
TORNADO_SERVERS: frozenset[str] = frozenset({"tornado.httpserver.HTTPServer", "tornado.tcpserver.TCPServer"})
# Methods of a tornado RequestHandler that serve a request (or a websocket's messages).
TORNADO_HANDLER_METHODS: frozenset[str] = frozenset({
    "get", "post", "put", "patch", "delete", "head", "options", "prepare", "initialize", "open",
    "on_message"})
TORNADO_FORKS: frozenset[str] = frozenset({"tornado.process.fork_processes"})
TORNADO_APPLICATION = "Application"  # ``tornado.web.Application`` and the project's subclasses
REGISTER_AT_FORK: frozenset[str] = frozenset({"os.register_at_fork"})
PARTIAL: frozenset[str] = frozenset({"functools.partial"})
CONTEXT_MANAGERS: frozenset[str] = frozenset(
    {"contextlib.contextmanager", "contextlib.asynccontextmanager"})

# Methods of a pool / executor whose first argument runs in a child, and where the child's
# arguments are. Value: "apply" (args, kwds tuples), "map" (iterables), "submit" (*args).
POOL_METHODS: dict[str, str] = {
    "apply": "apply",
    "apply_async": "apply",
    "map": "map",
    "map_async": "map",
    "imap": "map",
    "imap_unordered": "map",
    "starmap": "map",
    "starmap_async": "map",
}
EXECUTOR_METHODS: dict[str, str] = {"submit": "submit", "map": "map", "schedule": "submit"}  # pebble

# Celery: decorators that make a task; base classes of class-based tasks; signal whose handlers run in
# each pool child.
CELERY_TASK_DECORATORS: frozenset[str] = frozenset({"task", "shared_task", "periodic_task"})
CELERY_TASK_BASES: frozenset[str] = frozenset({"celery.Task", "celery.app.task.Task", "celery.task.Task"})
CELERY_CHILD_SIGNALS: frozenset[str] = frozenset({"worker_process_init"})
# Signals whose handlers run around each task, in the pool child that runs it: like the task's body,
# they find whatever the worker's main process made before it forked.
CELERY_TASK_SIGNALS: frozenset[str] = frozenset({"task_prerun", "task_postrun", "task_success",
                                                 "task_failure", "task_retry"})
# Signals whose handlers run in the main worker process, before it forks the pool: what they connect
# is inherited by every pool child.
CELERY_PARENT_SIGNALS: frozenset[str] = frozenset({"worker_init", "celeryd_init", "celeryd_after_setup",
                                                   "import_modules"})
# Worker pools that fork the task processes (the default is prefork); solo, threads, gevent and
# eventlet run tasks in the worker process itself.
CELERY_FORKING_POOLS: frozenset[str] = frozenset({"prefork", "processes"})
CELERY_CALL_METHODS: frozenset[str] = frozenset({"delay", "apply_async", "s", "si", "signature"})

# RQ: ``queue.enqueue(f, *args)`` and friends; value is the index of the function argument.
RQ_ENQUEUE: dict[str, int] = {"enqueue": 0, "enqueue_call": 0, "enqueue_at": 1, "enqueue_in": 1}
RQ_JOB_DECORATORS: frozenset[str] = frozenset({"rq.decorators.job", "rq.job"})
# Objects whose ``.job`` decorator makes RQ jobs (Flask-RQ2's ``rq = RQ(app)``, then ``@rq.job``), and the
# name projects give that object (``from .extensions import rq``).
RQ_JOB_HOLDERS: frozenset[str] = frozenset({"flask_rq2.RQ", "flask_rq2.app.RQ"})
RQ_JOB_HOLDER_NAME = "rq"
# RQ workers that fork a work horse per job. The ``rq worker`` command imports a job's module only
# inside the horse, so the job module's import-time clients are the horse's own; they are inherited
# only when the worker process itself loaded the module first: a worker script that imports it, or a
# custom worker class (``rq worker -w app.MyWorker``) in it or importing it. (SimpleWorker runs jobs
# in its own process: nothing is forked.)
RQ_WORKERS: frozenset[str] = frozenset({"rq.Worker", "rq.worker.Worker"})
# ... and what hands one back (django-rq's default worker class forks too, unless ``worker_class=`` says
# otherwise: ``SimpleWorker`` runs each job in the process itself)
RQ_WORKER_FACTORIES: frozenset[str] = frozenset({"django_rq.get_worker", "django_rq.workers.get_worker"})
RQ_NON_FORKING_WORKERS: frozenset[str] = frozenset({"rq.SimpleWorker", "rq.worker.SimpleWorker"})
# Methods of an RQ worker that run in the work horse (the forked child); every other method of a custom
# worker class runs in the worker process, so what it opens is inherited by the horses forked after.
RQ_HORSE_METHODS: frozenset[str] = frozenset({
    "main_work_horse", "perform_job", "prepare_job_execution", "handle_job_success", "handle_job_failure",
    "execute_success_callback", "execute_failure_callback", "setup_work_horse_signals",
})
# Methods of an RQ worker that run in the worker process just before each fork: where a custom worker
# closes its connections so that each horse opens its own (scancode.io's ``execute_job`` override).
RQ_BEFORE_FORK_METHODS: frozenset[str] = frozenset({"execute_job", "fork_work_horse"})

# Web servers that load the app in a master and fork workers from it (gunicorn --preload, uWSGI
# without lazy-apps): every request handler of the app module runs in a forked worker.
PRELOAD_SERVER_HOOKS: frozenset[str] = frozenset({"post_fork", "post_worker_init"})
# Decorators that make a function a command-line command (``@app.cli.command()``, ``@click.command()``,
# Flask-Script's ``@manager.command``): it runs when someone types the command, in a process of its
# own, never in a preloaded server's worker, so a preloaded app's commands are not its handlers.
CLI_COMMAND_MODULES: frozenset[str] = frozenset({"click", "typer", "flask_script", "asyncclick"})
CLI_COMMAND_DECORATORS: frozenset[str] = frozenset({"command", "group", "option"})
CLI_COMMAND_HOLDERS: frozenset[str] = frozenset({"cli", "manager"})
# gunicorn's config files (read from the working directory, or given with ``-c``): ``gunicorn.conf.py``,
# ``gunicorn_config.py``, ``gunicorn.py``, ``gunicorn_prod.py``, ... And the hooks of one that gunicorn
# calls in its master: what their imports load is in ``sys.modules`` before any worker forks, so a
# worker that imports the app finds those modules, and their clients, already made, with or without
# ``--preload`` (an ``on_starting`` hook that runs ``create_all`` leaves the engine's pool holding the
# master's connection).
GUNICORN_CONFIG_PREFIX = "gunicorn"


def gunicorn_config(file_name: str) -> bool:
    """Is a file of this name (``gunicorn.conf.py``) a gunicorn config, by the names projects give them?"""
    return file_name.startswith(GUNICORN_CONFIG_PREFIX) and file_name.endswith(".py")


GUNICORN_MASTER_HOOKS: frozenset[str] = frozenset({"on_starting", "when_ready", "on_reload", "pre_fork"})
# gunicorn embedded in the program (``class App(BaseApplication)`` whose ``load()`` returns an app the
# program made): the master holds that app, and everything its module imported, before forking.
EMBEDDED_SERVERS: frozenset[str] = frozenset(
    {"gunicorn.app.base.BaseApplication", "gunicorn.app.base.Application",
     "gunicorn.app.wsgiapp.WSGIApplication"}
)

START_METHODS: frozenset[str] = frozenset({"fork", "spawn", "forkserver"})
# Start methods that do not fork: the child re-imports the module and inherits no socket. (forkserver
# is not one: the server imports the main module once and forks every child from itself.)
NON_FORK_METHODS: frozenset[str] = frozenset({"spawn"})

# ... and a file must name at least one way of starting another process. Each entry point above is
# recognised through one of these words appearing in the file (an import, a decorator or a method).
CHILD_WORDS: tuple[str, ...] = (
    "multiprocess", "billiard", "gipc", "pathos", "pebble", "ProcessPoolExecutor", "fork", "task", "Task",
    "enqueue", "daemonize",
    r"\brq\b",
    "worker_process_init", r"\bjob\b", "num_workers", r"luigi", "fork_processes", "HTTPServer", r"\bmp\.",
)


# Stricter: words that name a way of starting a child (not just the word "task"), for choosing the
# modules whose imports pass two follows to find helpers of helpers.
START_WORDS: tuple[str, ...] = (
    "multiprocess", "billiard", "gipc", "pathos", "pebble", "ProcessPoolExecutor", r"os\.fork", r"pty\.fork",
    r"\.enqueue",
    "shared_task", r"\.task\b", r"\(Task\)", "worker_process_init", r"@job\b", r"\brq\b",
    "fork_processes", "HTTPServer",
)


# Top-level names of libraries a project's own module may be named after (``proj/celery.py``): an
# import of one of these inside a package is the library, never an implicit relative import.
LIBRARY_ROOTS: frozenset[str] = frozenset(
    {"celery", "rq", "billiard", "kombu", "gunicorn", "uwsgi", "flask", "django", "tornado", "fastapi",
     "starlette", "werkzeug", "jinja2", "requests", "urllib3", "httpx", "aiohttp", "redis", "pymongo",
     "sqlalchemy", "alembic", "pydantic", "boto3", "botocore", "grpc", "numpy", "pandas", "yaml", "six",
     "forksafe"}
)


def connect_modules(clients: dict[str, str]) -> frozenset[str]:
    """Top-level module names a file must mention to make one of ``clients`` (the cheap pre-scan)."""
    names = {name.split(".")[0] for name in clients} | {name.split(".")[0] for name in IMPORTED_HOLDERS}
    return frozenset(names)


def driver_connects() -> dict[str, str]:
    """The connect functions of the drivers forksafe's run-time knows (shared with zero-code mode)."""
    try:
        from forksafe._drivers import all_adapters
    except Exception:  # the run-time is being rebuilt elsewhere: the catalogue above still stands
        return {}
    return {name: f"{adapter.name} connection" for adapter in all_adapters()
            for name in adapter.connect_functions}


# Top-level client libraries, by the name a module uses them under when a star import brought them in.
CLIENT_MODULES: frozenset[str] = frozenset(q.split(".")[0] for q in CLIENTS) | frozenset(
    {"psycopg2", "psycopg", "pymysql", "MySQLdb", "mysql", "sqlite3", "cx_Oracle", "oracledb", "pyodbc"})


# The modules a snippet without imports means by their usual names (``mp.Process``).
CONVENTIONAL_IMPORTS: dict[str, str] = {"mp": "multiprocessing", "multiprocessing": "multiprocessing",
                                        "os": "os", "futures": "concurrent.futures"}


# bare names a snippet without imports uses for the classes that start children
CONVENTIONAL_NAMES: dict[str, str] = {"Process": "multiprocessing.Process", "Pool": "multiprocessing.Pool",
                                      "ProcessPoolExecutor": "concurrent.futures.ProcessPoolExecutor"}


@functools.lru_cache(maxsize=1)
def conventional_names() -> dict[str, str]:
    """What a bare class name means in a snippet without imports: the classes that start children,
    and each catalogue client class whose name only one library uses (``KafkaClient`` is pykafka's)."""
    first: dict[str, str] = {}  # class name -> the first client of that name
    libraries: dict[str, set[str]] = {}  # class name -> the libraries that have one
    for qual in CLIENTS:
        name = qual.rsplit(".", 1)[-1]
        if name[:1].isupper() and len(name) > 6:  # ``Client``, ``Redis`` say too little
            first.setdefault(name, qual)
            libraries.setdefault(name, set()).add(qual.split(".")[0])
    found = {name: qual for name, qual in first.items() if len(libraries[name]) == 1}
    found.update(CONVENTIONAL_NAMES)
    return found


def catalogue(extra: Optional[dict[str, str]] = None) -> dict[str, str]:
    """Every known client constructor: this module's list, the drivers' and the user's."""
    merged = dict(driver_connects())
    merged.update(CLIENTS)
    merged.update(extra or {})
    return merged
