"""Made at import: in the master when the app is preloaded."""
from kafka import KafkaProducer

producer = KafkaProducer(bootstrap_servers="kafka:9092")
