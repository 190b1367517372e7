<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en_US" sourcelanguage="en_US">
<context>
    <name>ApiErrorText</name>
    <message>
        <source>The request was cancelled.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The server at %1 did not answer in time. Try again in a moment.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The server name in %1 is not known. Check the address you connect to.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Waybill cannot reach the server at %1. Check that it is running and that this computer is connected, then try again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Some details are not valid: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The server did not accept your access token. Connect again with a valid token (File, Connect to server).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Your role does not allow this. Ask your administrator if you need it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not found: it does not exist, or its id is mistyped.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not found: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This cannot be done now: the shipment or account has changed. Look at it again and retry.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This cannot be done now: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The request is too large for the server.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This repeats an earlier request with different details. Close the form and start again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The server is busy. Try again in a moment.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The server ran into a problem (error %1). Try again; if it keeps happening, tell your administrator.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The server gave an unexpected answer (error %1).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Someone else changed this first (it is now at version %1), so your change was not made. Look at what changed, then try again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Someone else changed this first, so your change was not made. Look at what changed, then try again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A secure connection to %1 could not be made: its certificate is neither signed by an authority this computer trusts nor one you accepted. Compare its fingerprint with your administrator&apos;s, or start Waybill with --ca-file.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>AuditCommands</name>
    <message>
        <source>cannot write the export to stdout</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cannot write %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Exported to %1. Events: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The hash chain is intact. Events checked: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The hash chain is broken at position %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Rebuilt the read models. Events: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Last position: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Last hash: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The hash chain is intact up to position %1, but its hash there is %2, not %3: the log is not the one that hash was taken from</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The hash chain is intact up to position %1 and its hash there is %2. Events checked: %3</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ChainVerifier</name>
    <message>
        <source>position %1 is not a position of the log (positions start at 1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the log starts at position %1 and the link does not start the chain: events were removed (or this one was altered)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no event has a position between %1 and %2, and the link does not follow from position %1: events were removed (or this one was altered)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the stored hash does not match the event and the link before it: the event was edited, replaced or inserted, or the one before it was rewritten</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no event has a position between %1 and %2, but command %3 recorded one at position %4: events were removed and the chain relinked</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>stream %1 has version %2 (versions start at 1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>stream %1 has version %2 but no version %3: events of the stream are missing</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>stream %1 version %2 comes before its version %3 (position %4): the stream is out of order</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no command recorded this event (its command id is %1): it was inserted</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>command %1 recorded positions %2 to %3, not this one: the event was inserted or moved</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>verification was cancelled after %n event(s)</source>
        <translation>
            <numerusform>verification was cancelled after %n event</numerusform>
            <numerusform>verification was cancelled after %n events</numerusform>
        </translation>
    </message>
    <message>
        <source>the log ends at position %1, but command %2 recorded events up to position %3: the last events were removed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the log has no event at position %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ChangesSince</name>
    <message>
        <source>account %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>truck %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>shipment %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1, %2: %3</source>
        <extracomment>One change made by someone else: when, who, what</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Someone else changed %1 first, so your change was not made (you saw version %2; it is now at version %3).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Someone else changed %1 first, so your change was not made.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>What changed:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Check your change against theirs; sending it again applies it to the record as it is now.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>CommandDescription</name>
    <message>
        <source>Submit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Assign</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ship</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Deliver</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Payment</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Invoice</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Submit shipment %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Assign shipment %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Assign shipment %1 to truck %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ship shipment %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Deliver shipment %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancel shipment %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Payment of %1 to account %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Payment to account %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Invoice to account %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Amend</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reschedule</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open account</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Update account</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Hold</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Release</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reverse payment</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Credit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Register truck</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Out of service</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Back in service</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Amend shipment %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reschedule shipment %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open account %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Update account %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Put account %1 on hold</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Release account %1 from hold</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reverse a payment on account %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Credit of %1 to account %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Credit to account %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Register truck %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Take truck %1 out of service</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Return truck %1 to service</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>CommandLine</name>
    <message>
        <source>%1 (see --help)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The database: sqlite:PATH or postgresql://user[:password]@host[:port]/dbname (default: waybill.db in the user&apos;s data folder).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>URL</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Where to serve (default 127.0.0.1:8080; port 0 takes a free port).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>HOST:PORT</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The INI config file.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>FILE</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Serve HTTPS with this PEM certificate (needs --tls-key).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The PEM private key of --tls-cert.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>token create: the token&apos;s name.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>NAME</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>token create: the token&apos;s role.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>ROLE</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>export: only this stream (shipment-ID or account-ID).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>ID</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Empty to serve, or one of the commands above.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>[command]</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>--%1 is given more than once</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>token revoke needs the name of the token</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>token needs an action: create, list or revoke</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>unknown token action &quot;%1&quot;: use create, list or revoke</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>unknown command &quot;%1&quot;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>unexpected argument &quot;%1&quot;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>--%1 is only for serving, not for %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>--%1 goes with the %2 command only</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>token create needs --name NAME</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>token create needs --role ROLE</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>--out needs a file name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>--%1: &quot;%2&quot; is not an ISO-8601 time (e.g. 2026-11-27T10:00:00Z)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>--to must be later than --from</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>--stream: &quot;%1&quot; is not a stream id (shipment-ID or account-ID)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Refuse to bill or pay accounts that were never opened (default: allowed).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Refuse to assign trucks that were never registered (default: allowed).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>verify: check the chain up to this position of the log (needs --hash).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>P</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>verify: the hash the event at --position must have (64 hex digits).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>H</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>--position and --hash go together: the hash of the event at P</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>--position: &quot;%1&quot; is not a position of the log (a whole number, 1 or more)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>--hash: &quot;%1&quot; is not a hash of the log (64 hex digits)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Price shipments by this rate table file (JSON; default: 28 cents per pound).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>document invoice needs the invoice number, e.g. INV-000042</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&quot;%1&quot; is not an invoice number (INV- and digits, e.g. INV-000042)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>document statement needs the account&apos;s id</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>document bill-of-lading needs the shipment&apos;s id</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&quot;%1&quot; is not an id (1 to 64 letters, digits, &apos;-&apos;, &apos;_&apos; or &apos;.&apos;)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>document needs a kind: invoice, statement or bill-of-lading</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>unknown document &quot;%1&quot;: use invoice, statement or bill-of-lading</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>--%1 goes with the %2 and %3 commands only</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>document needs --out FILE.pdf: the file to write</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>--%1 goes with document statement only</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>document statement needs --from DATE and --to DATE</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>--%1: &quot;%2&quot; is not a day (YYYY-MM-DD, e.g. 2026-11-27)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>--to must not be before --from</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Waybill&apos;s headless server and its admin commands.

With no command, serves the HTTP API until SIGINT or SIGTERM, then finishes the
commands in flight and exits; SIGHUP reads the config again.

Commands:
  token create --name NAME --role ROLE  create an API token (printed once, last line)
      ROLE: customer-service, dispatch, finance, auditor, admin or monitoring
  token list                            list the tokens (name, role, created)
  token revoke NAME                     revoke a token
  export [--out FILE] [--from T] [--to T] [--stream ID]
                                        the audit CSV of the events
  verify [--position P --hash H]        check the hash chain of the events (up to P,
                                        and that the event at P has the hash H)
  rebuild-projections                   rebuild the read models from the events
  document invoice INV-N --out FILE.pdf an invoice as a PDF
  document statement ACCOUNT --from DATE --to DATE --out FILE.pdf
                                        an account&apos;s statement for the days from DATE
                                        to DATE (YYYY-MM-DD, UTC) as a PDF
  document bill-of-lading SHIPMENT --out FILE.pdf
                                        a shipment&apos;s bill of lading as a PDF
      Each document ends with the log position and hash it reflects: check them with
      verify --position P --hash H. Documents are laid out with Qt&apos;s GUI; without
      QT_QPA_PLATFORM set, the offscreen platform is used (no display needed).
  copy --from URL --to URL              copy the whole history into an empty database
                                        (SQLite or PostgreSQL, either way), then
                                        verify its hash chain there
  backup --out FILE                     a consistent copy of the SQLite database, taken
                                        while it serves (PostgreSQL: use pg_dump)

Each setting comes from its flag, else its environment variable (WAYBILL_DB,
WAYBILL_LISTEN, WAYBILL_REQUIRE_REGISTERED_ACCOUNTS, WAYBILL_REQUIRE_REGISTERED_TRUCKS),
else the --config file, else the default.
Exit codes: 0 done, 1 failed, 2 bad usage, 3 the database is newer than this server.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>export: write to FILE instead of stdout; document: the PDF file to write; backup: the new file to write.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>export: events at or after this ISO-8601 time; document statement: the period&apos;s first day (YYYY-MM-DD); copy: the database to copy (URL).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>T|URL</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>export: events before this ISO-8601 time; document statement: the period&apos;s last day (YYYY-MM-DD); copy: the empty database to copy into (URL).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>copy takes its databases from --from and --to, not --db</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>copy needs --from URL (the database to copy) and --to URL (an empty database to copy into)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>copy: --from and --to name the same database</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>backup needs --out FILE (a file that does not exist yet)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>CommandLineOptions</name>
    <message>
        <source>Waybill: shipments, dispatch and billing. With no arguments it keeps its data on this computer; with --server it works with a waybill-server on the network.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show this help and exit.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show the version and exit.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Work with the waybill-server at URL (http or https).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The access token for --server (or set WAYBILL_TOKEN).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The language of the app: en or es.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Keep this computer&apos;s data in DIR instead of the user&apos;s data folder.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Render each main view, with demo data, as PNG files into DIR and exit.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Unexpected argument: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>--server needs an http or https address, e.g. http://server:8080; got &quot;%1&quot;.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>--server needs --token TOKEN (or WAYBILL_TOKEN in the environment).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>--token goes with --server URL.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>--language must be one of: %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Trust the certificate authorities in this PEM FILE for servers&apos; certificates (or set WAYBILL_CA_FILE).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>--ca-file: %1 cannot be read.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Try Waybill on a working week of sample shipments, accounts and trucks, kept in a demo database of their own (the folder &quot;demo&quot; in the data folder), apart from your data.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>--demo runs on this computer&apos;s demo database; it cannot go with --server.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>CopyCommands</name>
    <message>
        <source>copying %1 (%2 rows)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>copied %1 of %2 rows of %3; %4 of %5 rows in all</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>verifying the copy at the target</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Copied %1 rows, %2 events of them, from %3 to %4.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The hash chain at the target is intact. Last position: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Last hash: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>copy failed: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 is marked as an unfinished copy and will not be served; empty it and copy again</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>backup writes SQLite databases only; for PostgreSQL use pg_dump, e.g. pg_dump --format=custom --file=waybill.dump DBNAME (docs/operations.md)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 exists already: backup writes a new file only</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the backup %1 was written, but its hash chain is broken at position %2: %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Backed up to %1. The hash chain is intact. Events checked: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Last position: %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>CredentialFile</name>
    <message>
        <source>The folder %1 could not be created.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 could not be written: %2</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>DataMover</name>
    <message>
        <source>Give the address of the server&apos;s PostgreSQL database, as postgresql://user@host:port/dbname</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Copying %1…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Checking the copy…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Done</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Moved %1 events to %2. The copy&apos;s hash chain is intact up to position %3.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The move failed: %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>DatabaseAccess</name>
    <message>
        <source>cannot create the data folder %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>there is no database at %1 (give one with --db)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cannot create %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>DocumentCommands</name>
    <message numerus="yes">
        <source>Wrote %1 to %2 (%n page(s)). Its proof: %3</source>
        <translation>
            <numerusform>Wrote %1 to %2 (%n page). Its proof: %3</numerusform>
            <numerusform>Wrote %1 to %2 (%n pages). Its proof: %3</numerusform>
        </translation>
    </message>
    <message>
        <source>no invoice %1 in this database</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>account %1 has no entries up to %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no shipment %1 in this database</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cannot write %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>EmbeddedServer</name>
    <message>
        <source>The local server could not start: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The local database %1 could not be opened: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The access token could not be kept: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The rate table is refused: %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>EventDescription</name>
    <message>
        <source>Submitted</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Assigned</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Shipped</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Delivered</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancelled</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Payment received</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Invoiced</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1, %2</source>
        <extracomment>A place: city and state, e.g. &quot;Austin, TX&quot;</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Submitted: %1 lb from %2 to %3, bill to %4, cost %5</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Assigned to truck %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Re-assigned from truck %1 to truck %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Shipped: on the road</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Delivered, signed by %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancelled: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Payment received: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Invoiced %1 for shipment %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Amended</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Rescheduled</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Account opened</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Account updated</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Placed on hold</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Released from hold</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Payment reversed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Credit memo</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Truck registered</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Out of service</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Back in service</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Rescheduled: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Placed on hold: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Payment of %1 reversed: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Credit memo of %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Credit memo of %1 for shipment %2: %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>capacity %1 lb</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Truck registered: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Out of service: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>weight %1 lb</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>from %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>to %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>bill to %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>new pickup window</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>new delivery window</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>re-priced to %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Amended: %1 (%2)</source>
        <extracomment>An amendment: the changes, then the reason, e.g. &quot;Amended: weight 900 lb (typo)&quot;</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>name %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>billing address %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>terms %n day(s)</source>
        <translation>
            <numerusform>terms %n day</numerusform>
            <numerusform>terms %n days</numerusform>
        </translation>
    </message>
    <message>
        <source>credit limit %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no credit limit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Account opened: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Account updated: %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>HistoryCopy</name>
    <message>
        <source>%1 holds no Waybill history</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>will not copy into %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the copy is not whole: %1 has %2 rows at the target and %3 at the source</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the hash chain at the target is broken at position %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the hash chain at the target ends at position %1 with %2, the source&apos;s at %3 with %4</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Identity</name>
    <message>
        <source>Customer Service</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Dispatch</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Finance</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Auditor</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Administrator</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Unknown role</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>IniFile</name>
    <message>
        <source>cannot read the config file %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>a section header must end with ]</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&quot;%1&quot; is not a valid section name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>expected key = value or [section]</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&quot;%1&quot; is not a valid key name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&quot;%1&quot; is already set on line %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the value of &quot;%1&quot; starts with a double quote but does not end with one (only a comment may follow it, after a blank)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ListenAddress</name>
    <message>
        <source>bad listen address &quot;%1&quot;: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>expected HOST:PORT, e.g. 127.0.0.1:8080</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the port must be a number from 0 to 65535</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&quot;%1&quot; is not an IPv6 address</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>write an IPv6 address in brackets, e.g. [::1]:8080</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&quot;%1&quot; is not an IP address</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>MoneyText</name>
    <message>
        <source>$%1</source>
        <extracomment>An amount of money in dollars; %1 is the number, e.g. 1,234.50</extracomment>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>QuoteText</name>
    <message>
        <source>Linehaul</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Fuel surcharge</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>RateTableFile</name>
    <message>
        <source>&quot;%1&quot; is given twice</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&quot;%1&quot; is not allowed here (allowed: %2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&quot;%1&quot; is required here</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&quot;%1&quot; must be a whole number of cents from 0 to %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&quot;%1&quot; must be a state&apos;s two letters or &quot;*&quot; for any state</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&quot;version&quot; must be 1 to 64 letters, digits, &apos;-&apos;, &apos;_&apos; or &apos;.&apos;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&quot;lanes&quot; must be a list of lanes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>a lane must be an object</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the lane %1-&gt;%2 is given twice</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the lanes must include &quot;*&quot;-&gt;&quot;*&quot;, the price of every shipment no other lane covers</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&quot;fuelSurcharge&quot; must be a list of {&quot;from&quot;, &quot;percent&quot;}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>a fuel surcharge must be an object</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&quot;from&quot; must be a day written YYYY-MM-DD</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&quot;percent&quot; must be a number from 0 to 100 with at most two decimals</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the fuel surcharges must be in order of their days, each day once</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&quot;accessorials&quot; must be an object of codes and their cents</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the accessorial code &quot;%1&quot; must be 1 to 64 letters, digits, &apos;-&apos;, &apos;_&apos; or &apos;.&apos;, and not &quot;linehaul&quot; or &quot;fuel&quot;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>not valid JSON (%1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>a rate table is a JSON object</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: cannot read the rate table (%2)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ReportChart</name>
    <message>
        <source>Net revenue</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Revenue by week</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Revenue by account</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>On-time delivery rate by week</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>On time</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Late</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>On-time rate</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Deliveries with a window</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Time with a load</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Truck utilisation</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open invoices by days past due</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ReportTable</name>
    <message>
        <source>Invoices</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Invoiced</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Credited</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Net revenue</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>–</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 %</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 h</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Week of</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Account</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Delivered</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>With a delivery window</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>On time</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Late</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>On-time rate</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Truck</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Loads</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Time with a load</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Utilisation</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not yet due</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>1–30 days</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>31–60 days</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>61–90 days</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Over 90 days</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Total open</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ScreenshotRenderer</name>
    <message>
        <source>Could not write %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Could not create %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The demo server did not start: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Could not connect to the demo server: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The demo data could not be made: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This computer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Keyed as $900 instead of $90</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Damaged on delivery</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Flat tyre</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Two more pallets</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ServeCommand</name>
    <message>
        <source>cannot open the database %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cannot start: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cannot serve on %1:%2: %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Waybill server listening on %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cannot use the database %1 as user %2: %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>will not serve %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ServerApplication</name>
    <message>
        <source>database error (%1): %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>failed: %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ServerConfig</name>
    <message>
        <source>%1 must be a whole number from %2 to %3, not &quot;%4&quot;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>unknown setting &quot;%1&quot; outside any section</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>unknown setting &quot;%1&quot; in [%2]</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>HTTPS needs both a certificate (--tls-cert) and its private key (--tls-key)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cannot read %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 must be true or false, not &quot;%2&quot;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>trusted-proxies: &quot;%1&quot; is not an IP address or subnet (such as 10.0.0.0/8)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>[rates] %1 cannot be used with a rate table file (%2): the file sets the prices</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the rate table file is not named</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SignalWatcher</name>
    <message>
        <source>cannot watch for signals (%1: %2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>signals are already being watched</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>StatusPresentation</name>
    <message>
        <source>Submitted</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Assigned</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Shipped</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Delivered</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancelled</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>TableCopy</name>
    <message>
        <source>an earlier copy into it did not finish, so it holds part of a history; empty it (drop and create the database again, or delete the file) and copy again</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>it is not empty: its table &quot;%1&quot; has rows</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>a server is running on it (%1, its lease runs until %2): stop every server that uses it first</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>a copy into this database (from %1, begun %2) did not finish: it holds part of a history and must not be used. Empty it (drop and create the database again, or delete the file) and run &quot;waybill-server copy&quot; again into the empty database</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>TimeText</name>
    <message>
        <source>%1 %2–%3</source>
        <comment>day, start time, end time</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 %2 – %3 %4</source>
        <comment>start day and time, end day and time</comment>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>TokenCommands</name>
    <message>
        <source>unknown role &quot;%1&quot;: use one of %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>a token named &quot;%1&quot; exists already (revoke it first)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Created the token &quot;%1&quot; with the role %2. Keep it safe; it is shown only this once:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>NAME</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>ROLE</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>CREATED</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>there is no token named &quot;%1&quot;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Revoked the token &quot;%1&quot;.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>waybill::HttpApiServer</name>
    <message>
        <source>Cannot read the TLS certificate %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot read the TLS key %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 holds no PEM certificate</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 holds no PEM private key (RSA, EC or DSA, unencrypted)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The server is listening already</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>HTTPS needs both a certificate and a key</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot listen on %1:%2: %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Switching between HTTP and HTTPS needs a restart</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the private key %1 does not belong to the certificate %2 (a key and a certificate from different pairs?)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>waybill::Refusal</name>
    <message>
        <source>Account %1 is not registered; open it before billing shipments to it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Account %1 is on hold (%2); it takes no new charges until it is released.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Shipment %1 would take account %2&apos;s exposure to %3, past its credit limit of %4.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Shipment %1 would load truck %2 to %3, past its capacity of %4.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Shipment %1 already exists (it is %2).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Shipment %1 does not exist; submit it first.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Shipment %1 is %2; a truck can be assigned only while it is Submitted or Assigned.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Shipment %1 is already assigned to truck %2.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Truck %1 is not registered; register it before assigning loads to it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Truck %1 is out of service (%2); assign another truck.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Shipment %1 is %2; only an Assigned shipment can be shipped.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Shipment %1 is %2; only a Shipped shipment can be delivered.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Shipment %1 is %2; only a Submitted or Assigned shipment can be cancelled.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Shipment %1 is %2; only a Submitted or Assigned shipment can be amended.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The amendment changes nothing: shipment %1 already has those values.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Shipment %1&apos;s delivery window would end before its pickup window starts.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Shipment %1 is %2; only a Submitted, Assigned or Shipped shipment can be rescheduled.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Shipment %1 is Shipped; its pickup window can no longer change.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The new schedule changes nothing: shipment %1 already has those windows.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A %1 command does not apply to a shipment.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Truck %1 is registered already.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Truck %1 is not registered; register it first.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Truck %1 is out of service already (%2).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Truck %1 is not out of service.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A %1 command does not apply to a truck.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Account %1 is not open; open it first.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Account %1 is not registered; open it before recording money on it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A payment must be a positive amount.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>An invoice must name its shipment.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>An invoice cannot be negative.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Account %1 is open already (as %2).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The update changes nothing: account %1 already has those values.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Account %1 is on hold already (%2).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Account %1 is not on hold.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No payment on account %1 was recorded by command %2.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The payment recorded by command %1 is reversed already.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Account %1 has no history to credit; open it first.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A credit must be a positive amount.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A %1 command does not apply to an account.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The rate table %1 has no accessorial &quot;%2&quot;.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>An invoice needs its number and its date.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>waybill::TokenStore</name>
    <message>
        <source>A token name must be 1 to 64 letters, digits, &apos;-&apos;, &apos;_&apos; or &apos;.&apos;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A token named &quot;%1&quot; exists already</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>waybill::api</name>
    <message>
        <source>A valid token is required: send the header &quot;Authorization: Bearer &lt;token&gt;&quot;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The role %1 may not do this</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No such route</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 is not allowed on this path</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>/live is a WebSocket: open it with an upgrade request</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The database could not answer; try again shortly</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Only /live speaks WebSocket</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&quot;offset&quot; is too large</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&quot;%1&quot; must be a whole number, 0 or more</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&quot;%1&quot; must be an ISO-8601 time such as 2026-11-27T10:00:00.000Z</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The request is invalid</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%1 (and %n more problem(s))</source>
        <translation>
            <numerusform>%1 (and %n more problem)</numerusform>
            <numerusform>%1 (and %n more problems)</numerusform>
        </translation>
    </message>
    <message>
        <source>This Idempotency-Key was used for another request</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The account id in the path must be 1 to 64 letters, digits, &apos;-&apos;, &apos;_&apos; or &apos;.&apos;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The shipment id in the path must be 1 to 64 letters, digits, &apos;-&apos;, &apos;_&apos; or &apos;.&apos;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The Idempotency-Key header must be 1 to 255 printable ASCII characters</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The command id in the path must be 1 to 128 letters, digits, &apos;-&apos;, &apos;_&apos;, &apos;.&apos; or &apos;:&apos;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No such command</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No such account at that time</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No such shipment at that time</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No such account</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No such shipment</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&quot;%1&quot; must not contain NUL or control characters</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&quot;status&quot; must be Submitted, Assigned, Shipped, Delivered or Cancelled</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&quot;sort&quot; must be id, status, billToAccountId, assignedToTruck or createdTimestamp</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&quot;order&quot; must be asc or desc</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The truck id in the path must be 1 to 64 letters, digits, &apos;-&apos;, &apos;_&apos; or &apos;.&apos;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The If-Match header must be the version of the stream, as its ETag gives it (&quot;3&quot;)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No such truck</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The token was revoked during the export</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The server is stopping; try again shortly</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This history is too long to replay as of a time (more than %1 events)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The command was not recorded (the database could not answer); it may be sent again</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The server is shutting down</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The database cannot be reached</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The API document is missing from this build</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&quot;late&quot; must be true or false</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&quot;windowTo&quot; must be later than &quot;windowFrom&quot;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&quot;position&quot; is required: the position of an event in the log, 1 or more</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No event has that position</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The Correlation-Id header must be 1 to 64 letters, digits, &apos;-&apos;, &apos;_&apos; or &apos;.&apos;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&quot;to&quot; must be later than &quot;from&quot;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A report covers at most %1 weeks; ask for a shorter period</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>waybill::app::AccountEditor</name>
    <message>
        <source>Billing address</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open an account</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Edit account %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open a new bill-to account. Shipments billed to it are refused while it is on hold or past its credit limit.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Account %1 is known from its shipments and payments but was never opened. Opening it gives it a record: name, address, terms and limit.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>You are editing version %1 of account %2. Only what you change is sent.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>e.g. ACME-001</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Account id</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Account &amp;id:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>e.g. Acme Industrial Supply</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Name:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> days</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Payment terms</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Payment &amp;terms:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>empty: no limit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Credit limit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Credit &amp;limit ($):</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Exposure against the credit limit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Exposure:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open account</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save changes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Enter the limit as an amount, e.g. 5000 or 5000.00.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 owed and not yet invoiced; no limit.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 of %2: past the limit. New shipments billed to this account are refused.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 of %2 (%3 left).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>An account id is 1 to 64 letters, digits, &apos;-&apos;, &apos;_&apos; or &apos;.&apos;.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Enter the credit limit as an amount with at most two decimals, or leave it empty for no limit.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Nothing is changed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Enter the account&apos;s name.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Check the billing address.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>waybill::app::AccountTableModel</name>
    <message>
        <source>The account owes this amount</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Payments exceed invoices by this amount</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Account</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Balance</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Invoiced</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Paid</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Invoices</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Payments</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Last activity</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Never opened: known only from shipments and payments</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Owed plus shipments not yet invoiced: %1 of a %2 limit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Owed plus shipments not yet invoiced: %1 (no limit)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>On hold: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No limit</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n day(s)</source>
        <translation>
            <numerusform>%n day</numerusform>
            <numerusform>%n days</numerusform>
        </translation>
    </message>
    <message>
        <source>Name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Exposure</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Credit limit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Terms</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Hold</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>waybill::app::AccountsView</name>
    <message>
        <source>&amp;Owing only</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Find an account</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show only the accounts whose invoices exceed their payments</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Post &amp;payment…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Accounts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Statement</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Select an account first.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Post a payment received from account %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Select an account to see its statement.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Statement of %1: owes %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Statement of %1: balance %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Post a payment</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Record money received from account %1. It is added to the account&apos;s balance.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Amount ($):</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>e.g. 120.50</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Post payment</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Open account…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Edit account…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Put on &amp;hold…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Release hold</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Credit memo…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Re&amp;verse payment…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Never opened: known only from shipments and payments</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>terms %n day(s)</source>
        <translation>
            <numerusform>terms %n day</numerusform>
            <numerusform>terms %n days</numerusform>
        </translation>
    </message>
    <message>
        <source>exposure %1 of a %2 limit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>exposure %1, no limit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>ON HOLD: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>version %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open a new account, or give a known one its record</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Change the name, address, terms or limit of account %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open account %1: give it a name, address, terms and limit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Open this account…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Refuse new shipments billed to account %1 until released</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Account %1 was never opened; open it first.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Account %1 is on hold already.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Accept shipments billed to account %1 again</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Account %1 is not on hold.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Credit account %1, saying why</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reverse the payment selected on the statement</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Select a payment on the statement that is not reversed yet.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Put an account on hold</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>While account %1 is on hold, new shipments billed to it are refused and amendments that bill it more are too.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Reason:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>e.g. Invoices 60 days overdue</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Put on hold</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Credit memo</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Credit account %1: the amount is taken off what it owes, first from the shipment&apos;s invoice when you name one.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>For &amp;shipment:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>optional, e.g. S-1001</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>e.g. 45.00</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>e.g. Damaged on delivery</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Credit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reverse a payment</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reverse the payment of %1 recorded on %2 on account %3. The payment stays in the history; the reversal takes it off the balance.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>e.g. Keyed as $1,000 instead of $100</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reverse payment</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Print &amp;invoice…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Account &amp;statement…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Preview, print or save as PDF invoice %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Select an invoice on the statement.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Preview, print or save as PDF the statement of account %1 for a period</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>waybill::app::AddressForm</name>
    <message>
        <source>Name:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Street:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Line 2:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>City:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>State:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>ZIP code:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>optional</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>two letters, e.g. TX</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>five digits, e.g. 78701</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 %2</source>
        <extracomment>Accessible name of an address field: &quot;Ship from: City:&quot;</extracomment>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>waybill::app::AmendDialog</name>
    <message>
        <source>Ship from</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ship to</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Amend shipment %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Correct shipment %1 (version %2). The history keeps what it was and your reason; only what you change is sent.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Weight in pounds</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Weight (lb):</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Bill to account</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Bill to:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>e.g. The customer gave the wrong weight</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reason</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Reason:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Amend</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Enter the weight in pounds, from 1 to 80,000.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cost now %1. %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cost stays %1, billed to %2 instead of %3: that account&apos;s hold and credit limit are checked.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cost stays %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cost now %1; after the amendment %2 (%3%4).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Estimate from the standard rate.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Billed to %1 instead of %2.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Nothing is changed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Say why the shipment is amended: the history keeps the reason.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>An account id is 1 to 64 letters, digits, &apos;-&apos;, &apos;_&apos; or &apos;.&apos;.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Pickup:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>D&amp;elivery:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A window cannot be removed; change its times instead.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>e.g. liftgate, residential (optional)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Accessorial charges</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Acce&amp;ssorials:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cost now %1; the new price is being quoted…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cost now %1. The new price is quoted once the weight and both states are right.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cost now %1. No price after the amendment: %2</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>waybill::app::AppController</name>
    <message>
        <source>Connecting to %1…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This computer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Opening this computer&apos;s Waybill data…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Demo data on this computer</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>waybill::app::AppPaths</name>
    <message>
        <source>The data folder %1 could not be created.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The data folder %1 could not be made private.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The database %1 could not be created: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The database file %1 could not be made private.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>waybill::app::AuditView</name>
    <message>
        <source>Cancel</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Event type filter</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>All events</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Stream, e.g. shipment-S-1001</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Stream filter</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>User</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>User filter</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Text in the data</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Text filter</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Event:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Export CSV…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Verify history</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Check that no event was altered or removed (the hash chain)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Event log</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Progress</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Exporting: %Ln event(s) written…</source>
        <translation>
            <numerusform>Exporting: %Ln event written…</numerusform>
            <numerusform>Exporting: %Ln events written…</numerusform>
        </translation>
    </message>
    <message>
        <source>Export the event log</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>CSV files (*.csv)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Exporting…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Verifying the history…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Verification cancelled.</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>The history is intact: %Ln event(s) checked, none altered or removed.</source>
        <translation>
            <numerusform>The history is intact: %Ln event checked, none altered or removed.</numerusform>
            <numerusform>The history is intact: %Ln events checked, none altered or removed.</numerusform>
        </translation>
    </message>
    <message>
        <source>The history was altered: the first bad event is at position %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The history was altered: the first bad event is at position %1 (%2).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save the event log (or the stream in the Stream filter), within the export range, as CSV for a spreadsheet (Ctrl+E)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export range:</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>waybill::app::CertificatePrompt</name>
    <message>
        <source>The server&apos;s certificate has changed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>WARNING: the certificate of %1 is not the one you accepted before.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Someone may be intercepting the connection, or the administrator replaced the certificate. Ask your administrator before going on, and compare the new SHA-256 fingerprint with theirs.

Accepted before:
%1

Shown now (%2):
%3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Trust the New Certificate</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Unknown server certificate</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The certificate of %1 is not signed by an authority this computer trusts.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>If your administrator gave you its SHA-256 fingerprint, compare it with this one before you trust it. Waybill remembers it and warns you if it ever changes.

Certificate: %1
SHA-256 fingerprint:
%2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Trust This Certificate</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>waybill::app::CommandDialog</name>
    <message>
        <source>A truck id is 1 to 64 letters, digits, &apos;-&apos;, &apos;_&apos; or &apos;.&apos;.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The reason is too long.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The name is too long.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Enter an amount greater than 0 with at most two decimals, e.g. 120.50.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>An id is 1 to 64 letters, digits, &apos;-&apos;, &apos;_&apos; or &apos;.&apos;.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A shipment id is 1 to 64 letters, digits, &apos;-&apos;, &apos;_&apos; or &apos;.&apos;.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Say why.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Enter a whole number of pounds from 1 to 80,000.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>waybill::app::CommandForm</name>
    <message>
        <source>Sending…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 was refused: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 Sending again is safe: it will not be done twice.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>waybill::app::CommandSender</name>
    <message>
        <source>%1: done.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: recorded. Waybill tells you if it cannot be carried out.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>waybill::app::ConnectionDialog</name>
    <message>
        <source>This &amp;computer (Waybill keeps the data in your user folder)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A Waybill &amp;server on the network</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Connect to this server when Waybill &amp;starts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Test connection</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Connect</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>e.g. https://waybill.example.com:8080</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Server address</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Access token</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Given to you by your administrator</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Server &amp;address:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Access &amp;token:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>C&amp;onnect</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Enter the server&apos;s address and your access token.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Connecting…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Connected as %1 (%2).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Connected; the server accepted the token.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>waybill::app::CsvDownload</name>
    <message>
        <source>%1 cannot be written: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export cancelled; no file was written.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Writing %1 failed: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The server sent no export.</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%Ln event(s) exported to %1.</source>
        <translation>
            <numerusform>%Ln event exported to %1.</numerusform>
            <numerusform>%Ln events exported to %1.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>waybill::app::DemoData</name>
    <message>
        <source>%1 failed: %2</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>waybill::app::DispatchPanel</name>
    <message>
        <source>All trucks</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Available</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Occupied</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show trucks</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Find a truck or shipment</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Find a truck</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Trucks</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Double-click a truck to see its shipments</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Trucks:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Your role does not dispatch; this view is for reading.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>waybill::app::DocumentLoader</name>
    <message>
        <source>The server gave no answer.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No invoice %1 on this account.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Account %1 has no entries up to %2.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No shipment %1.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>waybill::app::DocumentPreview</name>
    <message>
        <source>Proof of record: log position %1, hash %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Print…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Save as PDF…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save as PDF</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Could not save %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>PDF files (*.pdf)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Print %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>waybill::app::EventLogModel</name>
    <message>
        <source>Position</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Time</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Stream</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Version</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Event</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>User</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Command</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Data</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>waybill::app::MainWindow</name>
    <message>
        <source>Waybill</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Working</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Try again</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Connect to a server…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Starting Waybill…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;New shipment…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Connect to server…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Refresh</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Shipments</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Dispatch</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Accounts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A&amp;udit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Settings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Language</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>As the system</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The language changes the next time Waybill starts.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;About Waybill</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>About Waybill</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;p&gt;&lt;b&gt;Waybill&lt;/b&gt; %1&lt;/p&gt;&lt;p&gt;Shipments, dispatch and billing, with every change kept in an untouchable history.&lt;/p&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Shipments</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Dispatch</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Accounts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Audit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ctrl+%1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A command (%1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 was rejected: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: done.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Live</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Offline: reconnecting…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Changes by others appear as they happen.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Changes by others appear once the connection is back.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1, as %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1, as %2 (%3)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Waybill: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Trucks</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Trucks</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Planboard</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Planboard</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>R&amp;eports…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Move this computer&apos;s data to a server…</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>waybill::app::MoveDataDialog</name>
    <message>
        <source>&amp;Move</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Connect to the server…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Close</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Move this computer&apos;s data to a server</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Copies every shipment, account, truck, invoice, the history and the access tokens of this computer into the database of a Waybill server. The server&apos;s database must be empty; this computer&apos;s data stays as it is.

The database address is the one the server is set up with (its --db or WAYBILL_DB); ask whoever installed the server.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>postgresql://waybill@db.example.com:5432/waybill</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Server database address</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Database password</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This computer&apos;s data:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Server &amp;database:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Password:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Moving to %1…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Start the server on this database, then connect to it: this computer&apos;s access token works there too.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Nothing was moved: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The move did not finish: %1
The server&apos;s database is marked as an unfinished copy, which no server will open: empty it and move again.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>waybill::app::NewShipmentDialog</name>
    <message>
        <source>Ship from</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ship to</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New shipment</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Shipment id</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>e.g. ACME-FOODS</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Bill-to account</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>1 to 80,000</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Weight in pounds</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Shipment &amp;id:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Bill to account:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Weight (lb):</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Submit shipment</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The cost is quoted once the weight is entered.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>1 to 64 letters, digits, &apos;-&apos;, &apos;_&apos; or &apos;.&apos;.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A weight from 1 to 80,000 lb.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Two letters, e.g. TX.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Five digits, e.g. 78701.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Required.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The cost is quoted once a weight from 1 to 80,000 lb is entered.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cost: about %1 at the standard rate; the server sets the price when the shipment is submitted.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Some fields need attention; each says what is wrong.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sending…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Shipment %1 submitted; cost %2.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Shipment %1 submitted.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The server found problems; each field says what is wrong.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The shipment was refused: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 Sending again is safe: it will not be submitted twice.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Pickup:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>D&amp;elivery:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The delivery window must not end before the pickup window starts.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The window ends before it starts.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>e.g. liftgate, residential (optional)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Accessorial charges</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Acce&amp;ssorials:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Codes of letters, digits, &apos;-&apos;, &apos;_&apos; or &apos;.&apos;, each once, separated by commas.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The cost is quoted once the weight and both states are entered.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No price for this: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cost: %1 (quoted by the server, rate table %2).
%3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Finding the next free id…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Shipment %1 exists already; choose another id.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>waybill::app::NotificationBar</name>
    <message>
        <source>Notifications</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Close this message</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>waybill::app::PlanBoard</name>
    <message>
        <source>%1 (%2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Day</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Week</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>◀ &amp;Earlier</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Today</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Later ▶</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Zoom &amp;in</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Zoom &amp;out</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Assign to truck…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Ship</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Reschedule…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Move every load of this truck…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Move with the &amp;keyboard</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Pick up the selected loads (M), choose a truck with the arrow keys, drop with Enter, or Esc to leave them where they are</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 trucks · %2 loads · %3 waiting · %4 late</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Move every load of truck %1…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Wait for the answers to the last change first.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose a truck with ↑ and ↓, then Enter to drop or Esc to cancel.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A load cannot be taken off its truck; assign it to another truck.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Nothing moved.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Assign %1 to truck %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Assign %n loads to truck %1</source>
        <translation>
            <numerusform>Assign %n load to truck %1</numerusform>
            <numerusform>Assign %n loads to truck %1</numerusform>
        </translation>
    </message>
    <message>
        <source>Ship %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Ship %n loads</source>
        <translation>
            <numerusform>Ship %n load</numerusform>
            <numerusform>Ship %n loads</numerusform>
        </translation>
    </message>
    <message>
        <source>Shipment %1 has no window that can be moved.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Shipment %1 is no longer on the board.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reschedule %1 by %2 h</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Reschedule %n loads by %1 h</source>
        <translation>
            <numerusform>Reschedule %n load by %1 h</numerusform>
            <numerusform>Reschedule %n loads by %1 h</numerusform>
        </translation>
    </message>
    <message>
        <source>Truck %1 has no loads to move.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Move every load of truck %1 to truck %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 (recorded; Waybill tells you if it cannot be carried out)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: someone else changed it first (you saw version %2; it is now at version %3). The board shows it as it is now.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 was refused: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: done.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: %2 done, %3 refused.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Assign to a truck</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Assign %n load(s) to the truck chosen: %1.</source>
        <translation>
            <numerusform>Assign %n load to the truck chosen: %1.</numerusform>
            <numerusform>Assign %n loads to the truck chosen: %1.</numerusform>
        </translation>
    </message>
    <message>
        <source>Move every load of truck %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Truck %1 carries %n load(s). Each is moved to the truck chosen, one command per load; a summary says which were moved and which were refused, and why.</source>
        <translation>
            <numerusform>Truck %1 carries %n load. It is moved to the truck chosen with one command; a summary says whether it was moved or refused, and why.</numerusform>
            <numerusform>Truck %1 carries %n loads. Each is moved to the truck chosen, one command per load; a summary says which were moved and which were refused, and why.</numerusform>
        </translation>
    </message>
    <message>
        <source>Move every load of truck %1…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Late</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>waybill::app::PlanBoardCanvas</name>
    <message>
        <source>Trucks and their loads over time</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Loads waiting for a truck</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No load is waiting for a truck.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No trucks yet: register them in the Trucks tab.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Truck · load / capacity</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>now</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Waiting for a truck (%1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Drag a load onto a truck to assign it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 / %2 lb</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 lb, no capacity set</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>In service, free</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>In service</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Out of service: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 · late for pickup</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 · late for delivery</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Assign %1 to truck %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Assign %n loads to truck %1</source>
        <translation>
            <numerusform>Assign %n load to truck %1</numerusform>
            <numerusform>Assign %n loads to truck %1</numerusform>
        </translation>
    </message>
    <message>
        <source>&lt;b&gt;%1&lt;/b&gt; · %2 · %3 lb</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 → %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Pickup: %1 to %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Delivery: %1 to %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No time window: drawn at its creation.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Moving to truck %1…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Late: its pickup window has ended.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Late: its delivery window has ended.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>waybill::app::PlanBoardModel</name>
    <message>
        <source>The planboard could not be read: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Shipment %1 is no longer on the board.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>waybill::app::PlanRescheduleDialog</name>
    <message>
        <source>Reschedule</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Moves the pickup and delivery windows of %n load(s) by the same time. A load on the road keeps its pickup window: only its delivery window moves.</source>
        <translation>
            <numerusform>Moves the pickup and delivery windows of %n load. A load on the road keeps its pickup window: only its delivery window moves.</numerusform>
            <numerusform>Moves the pickup and delivery windows of %n loads by the same time. A load on the road keeps its pickup window: only its delivery window moves.</numerusform>
        </translation>
    </message>
    <message>
        <source> h</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Negative: earlier</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>e.g. The customer asked for Thursday (optional)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Move by:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Reason:</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>waybill::app::PlanSummaryDialog</name>
    <message>
        <source>%1: %2 done, %3 refused.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Done (%1):</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Refused, and why (%1):</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>waybill::app::PlanTruckDialog</name>
    <message>
        <source>%1 (%2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>: %1 of %2 lb</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>: %1 lb</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> (out of service)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Truck:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Move</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>waybill::app::ReportsView</name>
    <message>
        <source>&amp;Refresh</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Export CSV…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Waybill: Reports</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The reports show the history as it stood at the end of this day (now, for today).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Revenue, on-time delivery and utilisation cover this many weeks (UTC, from Monday), up to the week of the date</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Read the reports again (F5)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;As of:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Weeks:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Revenue by week</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Revenue by account</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>On-time delivery</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Truck utilisation</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Aging</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reading the reports…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>As the history stood at %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Some reports could not be read: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Could not write %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export the report</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>CSV files (*.csv)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Saved %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>waybill::app::RescheduleDialog</name>
    <message>
        <source>&amp;Pickup:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>D&amp;elivery:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reschedule shipment %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Shipment %1 is on the road: only its delivery window can change.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New times for shipment %1. The history keeps the old ones.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Picked up already: the pickup window can no longer change.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>e.g. The customer asked for Thursday (optional)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reason</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Reason:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reschedule</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A window cannot be removed; change its times instead.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Nothing is changed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The delivery window must not end before the pickup window starts.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The window ends before it starts.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>waybill::app::ServerTrust</name>
    <message>
        <source>The CA file %1 cannot be read.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The CA file %1 holds no PEM certificate.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The accepted certificate could not be remembered in %1.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>waybill::app::Session</name>
    <message>
        <source>This server does not say what your role may do: every action is offered, and the server refuses what your role may not do.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>waybill::app::ShipmentActions</name>
    <message>
        <source>&amp;Assign truck…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Ship</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Deliver…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ca&amp;ncel shipment…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Select a shipment first.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Re-&amp;assign truck…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Move shipment %1 from truck %2 to another truck</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Assign a truck to shipment %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A truck can be assigned only while a shipment is Submitted or Assigned; %1 is %2.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Mark shipment %1 as on the road</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Only an assigned shipment can be shipped; %1 is %2.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Record the delivery of shipment %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Only a shipped shipment can be delivered; %1 is %2.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancel shipment %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Only a submitted or assigned shipment can be cancelled; %1 is %2.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Assign a truck</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Re-assign a truck</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Shipment %1 goes from %2 to %3.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Shipment %1 is on truck %2. Choose the truck that takes it over (for example after a breakdown).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Truck:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>e.g. T-101</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Assign</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Record a delivery</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Shipment %1 was delivered to %2. Delivering it bills account %3.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Signed by:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Name of the person who signed (optional)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Deliver</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancel a shipment</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancelling shipment %1 cannot be undone.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Reason:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>e.g. The customer called it off</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancel shipment</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A&amp;mend…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Correct the weight, account or addresses of shipment %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Only a submitted or assigned shipment can be amended; %1 is %2.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Resc&amp;hedule…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Change the pickup or delivery window of shipment %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Only a shipment not yet delivered or cancelled can be rescheduled; %1 is %2.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>waybill::app::ShipmentBoard</name>
    <message>
        <source>All statuses</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Status filter</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Truck</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Truck filter</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Account</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Account filter</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Search shipments by id or address</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Status:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Shipments</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Loading…</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%Ln shipment(s)</source>
        <translation>
            <numerusform>%Ln shipment</numerusform>
            <numerusform>%Ln shipments</numerusform>
        </translation>
    </message>
    <message>
        <source>Any time</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Late</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Due today</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Timing filter</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Late: a window has ended and the shipment is not yet picked up or delivered. Due today: a pickup or delivery window today.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No shipments yet. To begin, create one with File › New shipment… (Ctrl+N), or connect to your office&apos;s server with File › Connect to server…. To look around first, start Waybill with --demo: it fills a demo database of its own with a working week, apart from your data.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Id or address</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Search shipments by id or address (Ctrl+F)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>waybill::app::ShipmentDetail</name>
    <message>
        <source>Select a shipment on the board to see its details and history.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Back to now</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show the shipment as it is now (Esc)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Status:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>From:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>To:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Weight:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Bill to:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cost:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Truck:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Created:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Shipped:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Delivered:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Signed by:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancelled because:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;History (pick an event to see the shipment as it was then):</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>History</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>As it was on %1, right after: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>You are looking at the past. Go back to now to act on this shipment.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Shipment %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 lb</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Pickup window:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Delivery window:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Timing:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Bill of lading…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Preview, print or save as PDF the shipment&apos;s bill of lading</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>waybill::app::ShipmentTableModel</name>
    <message>
        <source>Loading…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 lb</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Shipment</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Status</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Account</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Truck</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>From</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>To</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Weight</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cost</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Created</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Last change</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 to %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Timing</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Pickup</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Delivery</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Late: pickup</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Late: delivery</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>On time</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Delivered late</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>waybill::app::StatementModel</name>
    <message>
        <source>Invoice for shipment %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Payment received</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>+%1</source>
        <extracomment>A payment on a statement, e.g. &quot;+$100.00&quot;</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Date</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Entry</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Amount</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Balance after</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>By</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Payment received (reversed later)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>waybill::app::StatementPeriodDialog</name>
    <message>
        <source>Statement of account %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Every invoice, payment, reversal and credit of these days (UTC), with the balance before and after them and the aging of what is open at the end.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;From:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;To:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Preview</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>waybill::app::TimeRangeEdit</name>
    <message>
        <source>Fro&amp;m</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;To</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Only events recorded at or after this time (UTC)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Only events recorded before this time (UTC); an event at exactly this time is not included</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Start of the export range, UTC</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>End of the export range, UTC</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>“From” is after “To”: no event can be in this range. Set “From” no later than “To”.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>waybill::app::TimelineModel</name>
    <message>
        <source>Event %1 of the history, recorded %2 (command %3)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>When</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>What</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Who</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>waybill::app::TruckLoadsModel</name>
    <message>
        <source>%1 · %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 · %2 · %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>    → %1</source>
        <comment>the delivery window, under the pickup</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Needs a truck:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1%</source>
        <comment>of the capacity used</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 lb of its %2 lb used</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 lb on board; no capacity set</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Loads: pickup → delivery</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>waybill::app::TruckTableModel</name>
    <message>
        <source>Occupied</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Available</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Truck</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Status</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Shipments on board</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Out of service: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Out of service: %1. Its shipments need another truck.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Never registered: known only from assignments</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Out of service</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Needs a truck: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 lb</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not set</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Load</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Capacity</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 (truck %2)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>waybill::app::TrucksView</name>
    <message>
        <source>All trucks</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Available</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Occupied</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Out of service</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show trucks</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Find a truck or shipment</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Find a truck</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Register truck…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Add a truck to the fleet, with its capacity</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Out of service…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Back in service</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Trucks</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n shipment(s) on trucks out of service need another truck: %1</source>
        <translation>
            <numerusform>%n shipment on a truck out of service needs another truck: %1</numerusform>
            <numerusform>%n shipments on trucks out of service need another truck: %1</numerusform>
        </translation>
    </message>
    <message>
        <source>Select a truck to see its record.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Truck %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Truck %1 (%2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Never registered: known only from assignments.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Load %1 lb of %2 lb capacity</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Load %1 lb (no capacity set)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Out of service: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Version %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Select a truck first.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Take truck %1 off the board, saying why</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Truck %1 is not registered; register it first.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Truck %1 is out of service already.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Put truck %1 back on the board</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Truck %1 is in service.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Register a truck</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A registered truck can be taken out of service, and loads are never assigned to it past its capacity.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Name:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>e.g. Blue Peterbilt</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Capacity (lb):</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>1 to 80,000; empty: not set</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Truck &amp;id:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>e.g. T-110</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Register</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Take a truck out of service</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Truck %1 will not be offered for loads until it is back in service.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Truck %1 carries %2. Those loads will need another truck.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Reason:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>e.g. Brake failure</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Take out of service</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>waybill::app::WindowEdit</name>
    <message>
        <source>%1: from</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: to</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The end is part of the window: a shipment is late only after it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>to</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The window ends before it starts.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>waybill::documents::DocumentText</name>
    <message>
        <source>the document could not be laid out</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 UTC</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 lb</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1, %2 %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1, %2, %3 %4</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Linehaul, %1 to %2, %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Fuel surcharge</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Liftgate service</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Residential delivery</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Delivery appointment</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Accessorial: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Partly paid</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Credited</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Paid</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Submitted</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Assigned</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>In transit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Delivered</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancelled</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>not set</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 to %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>(no billing address on record)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Account %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>-$%1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>$%1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Page %1 of %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Proof of record: this document reflects the log up to position %1, whose hash is below. Anyone can check it against the log with:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Due on receipt</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Net %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Invoice</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Invoice number</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Issued</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Due</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Terms</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Status</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Shipment %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>From: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>To: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Weight: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Delivered %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Delivered %1, signed by %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Bill to</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Shipment</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Description</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Amount</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Freight charges, %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Adjustment</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Invoice total</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Payments applied</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Credits applied</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Amount due</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Terms: %1. Please pay %2 by %3 and quote invoice number %4 with your payment.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Terms: %1. This invoice is settled: nothing is due. Thank you.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Account %1 has no billing record yet.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Invoice %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 · Invoice %2 · %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Statement</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Account</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Period</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Statement date</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Balance due</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Statement for</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Summary</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Opening balance %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Entries in the period: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Closing balance %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Date</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Charges</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Payments and credits</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Balance</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Opening balance</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Invoice %1, shipment %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Payment received, thank you</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Payment reversed: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Credit: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Credit for shipment %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Closing balance</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Aging of what is open on %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Current</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>1-30 days</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>31-60 days</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>61-90 days</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Over 90 days</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Total open</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open invoices on %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The account is in credit by %1: it goes to the next invoices.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Statement %1, %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 · Statement for %2 · %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Bill of lading</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Bill freight to</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Shipper (ship from)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Consignee (ship to)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Carrier</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Truck: not assigned yet</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Truck: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Schedule</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Pickup window: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Delivery window: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Picked up: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Delivered: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Handling units</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Description of goods</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Weight</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Freight</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Total</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Services asked for: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancelled: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Delivered %1, no signature recorded</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Received in good order, %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Shipper signature</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Carrier signature</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Consignee signature</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Bill of lading %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 · Bill of lading · Shipment %2</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>waybill::http::ConnectionGuard</name>
    <message>
        <source>The request took too long to arrive</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The body is larger than %1 bytes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Earlier requests on this connection are still being answered</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>waybill::http::GuardedTcpServer</name>
    <message>
        <source>The server has too many connections; try again shortly</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Too many connections from your address; try again shortly</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>waybill::http::RequestFramer</name>
    <message>
        <source>More than %1 bytes of empty lines came before the request</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Trailers after a chunked body are not accepted</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A chunk is longer than its size says</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The request line is longer than %1 bytes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The request headers are larger than %1 bytes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The request line is not HTTP</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Only HTTP/1.0 and HTTP/1.1 are spoken here</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Folded header lines are not accepted</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A request header is malformed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The request has more than %1 headers</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A request cannot have both Content-Length and Transfer-Encoding</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Transfer-Encoding must be chunked alone</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Transfer-Encoding &quot;%1&quot; is not supported</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Content-Length is given more than once</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Content-Length is not a number</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The body is larger than %1 bytes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A chunk size line is longer than %1 bytes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A chunk size line must end with CRLF</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A chunk size is not a hexadecimal number</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A chunk extension is malformed</source>
        <translation type="unfinished"></translation>
    </message>
</context>
</TS>
