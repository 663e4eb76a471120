-- Run once by the postgres image on an empty data directory (docker-entrypoint-initdb.d),
-- as POSTGRES_USER, who owns the four databases. Each service has its own database and
-- runs its own migrations at start.
CREATE DATABASE catalog;
CREATE DATABASE inventory;
CREATE DATABASE warehouse;
CREATE DATABASE routing;
