-- Records the database refused for good (a constraint or data error, e.g. a leg whose call was
-- never recorded) are kept here, whole, instead of blocking every record queued behind them.
-- Append-only like the rest; record_key ('leg:<leg_id>', ...) makes a replay insert nothing twice.

IF OBJECT_ID(N'rejected_records', N'U') IS NULL
CREATE TABLE rejected_records (
    seq         bigint IDENTITY(1,1) NOT NULL CONSTRAINT pk_rejected_records PRIMARY KEY,
    record_key  nvarchar(300) NOT NULL CONSTRAINT uq_rejected_records_record_key UNIQUE,
    record_type nvarchar(16) NOT NULL,
    call_id     nvarchar(256) NOT NULL,
    payload     nvarchar(max) NOT NULL,
    error       nvarchar(max) NOT NULL,
    rejected_at datetimeoffset(7) NOT NULL,
    node_id     nvarchar(256) NOT NULL
);
IF NOT EXISTS (SELECT 1 FROM sys.indexes WHERE name = N'ix_rejected_records_call_id' AND object_id = OBJECT_ID(N'rejected_records'))
CREATE INDEX ix_rejected_records_call_id ON rejected_records (call_id);
