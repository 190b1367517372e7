<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="es_ES" sourcelanguage="en_US">
<context>
    <name>ApiErrorText</name>
    <message>
        <source>The request was cancelled.</source>
        <translation>La solicitud se canceló.</translation>
    </message>
    <message>
        <source>The server at %1 did not answer in time. Try again in a moment.</source>
        <translation>El servidor en %1 no respondió a tiempo. Vuelva a intentarlo en un momento.</translation>
    </message>
    <message>
        <source>The server name in %1 is not known. Check the address you connect to.</source>
        <translation>El nombre del servidor en %1 no se conoce. Revise la dirección a la que se conecta.</translation>
    </message>
    <message>
        <source>Waybill cannot reach the server at %1. Check that it is running and that this computer is connected, then try again.</source>
        <translation>Waybill no puede comunicarse con el servidor en %1. Compruebe que esté en marcha y que este equipo tenga conexión, y vuelva a intentarlo.</translation>
    </message>
    <message>
        <source>Some details are not valid: %1</source>
        <translation>Algunos datos no son válidos: %1</translation>
    </message>
    <message>
        <source>The server did not accept your access token. Connect again with a valid token (File, Connect to server).</source>
        <translation>El servidor no aceptó su token de acceso. Vuelva a conectarse con un token válido (Archivo, Conectar a un servidor).</translation>
    </message>
    <message>
        <source>Your role does not allow this. Ask your administrator if you need it.</source>
        <translation>Su rol no permite esto. Consulte a su administrador si lo necesita.</translation>
    </message>
    <message>
        <source>Not found: it does not exist, or its id is mistyped.</source>
        <translation>No encontrado: no existe o su identificador está mal escrito.</translation>
    </message>
    <message>
        <source>Not found: %1</source>
        <translation>No encontrado: %1</translation>
    </message>
    <message>
        <source>This cannot be done now: the shipment or account has changed. Look at it again and retry.</source>
        <translation>Esto no se puede hacer ahora: el envío o la cuenta ha cambiado. Revíselo y vuelva a intentarlo.</translation>
    </message>
    <message>
        <source>This cannot be done now: %1</source>
        <translation>Esto no se puede hacer ahora: %1</translation>
    </message>
    <message>
        <source>The request is too large for the server.</source>
        <translation>La solicitud es demasiado grande para el servidor.</translation>
    </message>
    <message>
        <source>This repeats an earlier request with different details. Close the form and start again.</source>
        <translation>Esto repite una solicitud anterior con datos distintos. Cierre el formulario y empiece de nuevo.</translation>
    </message>
    <message>
        <source>The server is busy. Try again in a moment.</source>
        <translation>El servidor está ocupado. Vuelva a intentarlo en un momento.</translation>
    </message>
    <message>
        <source>The server ran into a problem (error %1). Try again; if it keeps happening, tell your administrator.</source>
        <translation>El servidor tuvo un problema (error %1). Vuelva a intentarlo; si sigue ocurriendo, avise a su administrador.</translation>
    </message>
    <message>
        <source>The server gave an unexpected answer (error %1).</source>
        <translation>El servidor dio una respuesta inesperada (error %1).</translation>
    </message>
    <message>
        <source>Someone else changed this first (it is now at version %1), so your change was not made. Look at what changed, then try again.</source>
        <translation>Otra persona lo cambió antes (ahora está en la versión %1), así que su cambio no se hizo. Mire qué cambió y vuelva a intentarlo.</translation>
    </message>
    <message>
        <source>Someone else changed this first, so your change was not made. Look at what changed, then try again.</source>
        <translation>Otra persona lo cambió antes, así que su cambio no se hizo. Mire qué cambió y vuelva a intentarlo.</translation>
    </message>
    <message>
        <source>A secure connection to %1 could not be made: its certificate is neither signed by an authority this computer trusts nor one you accepted. Compare its fingerprint with your administrator&apos;s, or start Waybill with --ca-file.</source>
        <translation>No se pudo establecer una conexión segura con %1: su certificado no está firmado por una autoridad en la que este equipo confíe ni es uno que usted haya aceptado. Compare su huella con la de su administrador, o inicie Waybill con --ca-file.</translation>
    </message>
</context>
<context>
    <name>AuditCommands</name>
    <message>
        <source>cannot write the export to stdout</source>
        <translation>no se puede escribir la exportación en la salida estándar</translation>
    </message>
    <message>
        <source>cannot write %1: %2</source>
        <translation>no se puede escribir %1: %2</translation>
    </message>
    <message>
        <source>Exported to %1. Events: %2</source>
        <translation>Exportado a %1. Eventos: %2</translation>
    </message>
    <message>
        <source>The hash chain is intact. Events checked: %1</source>
        <translation>La cadena de hashes está intacta. Eventos comprobados: %1</translation>
    </message>
    <message>
        <source>The hash chain is broken at position %1: %2</source>
        <translation>La cadena de hashes está rota en la posición %1: %2</translation>
    </message>
    <message>
        <source>Rebuilt the read models. Events: %1</source>
        <translation>Modelos de lectura reconstruidos. Eventos: %1</translation>
    </message>
    <message>
        <source>Last position: %1</source>
        <translation>Última posición: %1</translation>
    </message>
    <message>
        <source>Last hash: %1</source>
        <translation>Último hash: %1</translation>
    </message>
    <message>
        <source>The hash chain is intact up to position %1, but its hash there is %2, not %3: the log is not the one that hash was taken from</source>
        <translation>La cadena de hashes está intacta hasta la posición %1, pero su hash allí es %2, no %3: el registro no es aquel del que se tomó ese hash</translation>
    </message>
    <message>
        <source>The hash chain is intact up to position %1 and its hash there is %2. Events checked: %3</source>
        <translation>La cadena de hashes está intacta hasta la posición %1 y su hash allí es %2. Eventos comprobados: %3</translation>
    </message>
</context>
<context>
    <name>ChainVerifier</name>
    <message>
        <source>position %1 is not a position of the log (positions start at 1)</source>
        <translation>la posición %1 no es una posición del registro (las posiciones empiezan en 1)</translation>
    </message>
    <message>
        <source>the log starts at position %1 and the link does not start the chain: events were removed (or this one was altered)</source>
        <translation>el registro empieza en la posición %1 y el enlace no inicia la cadena: se eliminaron eventos (o se alteró este)</translation>
    </message>
    <message>
        <source>no event has a position between %1 and %2, and the link does not follow from position %1: events were removed (or this one was altered)</source>
        <translation>ningún evento tiene una posición entre %1 y %2, y el enlace no sigue a la posición %1: se eliminaron eventos (o se alteró este)</translation>
    </message>
    <message>
        <source>the stored hash does not match the event and the link before it: the event was edited, replaced or inserted, or the one before it was rewritten</source>
        <translation>el hash guardado no corresponde al evento y al enlace anterior: el evento se editó, se sustituyó o se insertó, o se reescribió el anterior</translation>
    </message>
    <message>
        <source>no event has a position between %1 and %2, but command %3 recorded one at position %4: events were removed and the chain relinked</source>
        <translation>ningún evento tiene una posición entre %1 y %2, pero la orden %3 registró uno en la posición %4: se eliminaron eventos y se volvió a enlazar la cadena</translation>
    </message>
    <message>
        <source>stream %1 has version %2 (versions start at 1)</source>
        <translation>el flujo %1 tiene la versión %2 (las versiones empiezan en 1)</translation>
    </message>
    <message>
        <source>stream %1 has version %2 but no version %3: events of the stream are missing</source>
        <translation>el flujo %1 tiene la versión %2 pero no la versión %3: faltan eventos del flujo</translation>
    </message>
    <message>
        <source>stream %1 version %2 comes before its version %3 (position %4): the stream is out of order</source>
        <translation>la versión %2 del flujo %1 va antes que su versión %3 (posición %4): el flujo está desordenado</translation>
    </message>
    <message>
        <source>no command recorded this event (its command id is %1): it was inserted</source>
        <translation>ninguna orden registró este evento (su id de orden es %1): se insertó</translation>
    </message>
    <message>
        <source>command %1 recorded positions %2 to %3, not this one: the event was inserted or moved</source>
        <translation>la orden %1 registró las posiciones %2 a %3, no esta: el evento se insertó o se movió</translation>
    </message>
    <message numerus="yes">
        <source>verification was cancelled after %n event(s)</source>
        <translation>
            <numerusform>la verificación se canceló tras %n evento</numerusform>
            <numerusform>la verificación se canceló tras %n eventos</numerusform>
        </translation>
    </message>
    <message>
        <source>the log ends at position %1, but command %2 recorded events up to position %3: the last events were removed</source>
        <translation>el registro termina en la posición %1, pero la orden %2 registró eventos hasta la posición %3: se eliminaron los últimos eventos</translation>
    </message>
    <message>
        <source>the log has no event at position %1</source>
        <translation>el registro no tiene ningún evento en la posición %1</translation>
    </message>
</context>
<context>
    <name>ChangesSince</name>
    <message>
        <source>account %1</source>
        <translation>la cuenta %1</translation>
    </message>
    <message>
        <source>truck %1</source>
        <translation>el camión %1</translation>
    </message>
    <message>
        <source>shipment %1</source>
        <translation>el envío %1</translation>
    </message>
    <message>
        <source>%1, %2: %3</source>
        <extracomment>One change made by someone else: when, who, what</extracomment>
        <translation>%1, %2: %3</translation>
    </message>
    <message>
        <source>Someone else changed %1 first, so your change was not made (you saw version %2; it is now at version %3).</source>
        <translation>Otra persona cambió %1 antes, así que su cambio no se hizo (usted vio la versión %2; ahora está en la versión %3).</translation>
    </message>
    <message>
        <source>Someone else changed %1 first, so your change was not made.</source>
        <translation>Otra persona cambió %1 antes, así que su cambio no se hizo.</translation>
    </message>
    <message>
        <source>What changed:</source>
        <translation>Qué cambió:</translation>
    </message>
    <message>
        <source>Check your change against theirs; sending it again applies it to the record as it is now.</source>
        <translation>Compare su cambio con el suyo; si lo envía de nuevo, se aplica al registro tal como está ahora.</translation>
    </message>
</context>
<context>
    <name>CommandDescription</name>
    <message>
        <source>Submit</source>
        <translation>Registrar</translation>
    </message>
    <message>
        <source>Assign</source>
        <translation>Asignar</translation>
    </message>
    <message>
        <source>Ship</source>
        <translation>Enviar</translation>
    </message>
    <message>
        <source>Deliver</source>
        <translation>Entregar</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Cancelar</translation>
    </message>
    <message>
        <source>Payment</source>
        <translation>Pago</translation>
    </message>
    <message>
        <source>Invoice</source>
        <translation>Factura</translation>
    </message>
    <message>
        <source>Submit shipment %1</source>
        <translation>Registrar el envío %1</translation>
    </message>
    <message>
        <source>Assign shipment %1</source>
        <translation>Asignar el envío %1</translation>
    </message>
    <message>
        <source>Assign shipment %1 to truck %2</source>
        <translation>Asignar el envío %1 al camión %2</translation>
    </message>
    <message>
        <source>Ship shipment %1</source>
        <translation>Enviar el envío %1</translation>
    </message>
    <message>
        <source>Deliver shipment %1</source>
        <translation>Entregar el envío %1</translation>
    </message>
    <message>
        <source>Cancel shipment %1</source>
        <translation>Cancelar el envío %1</translation>
    </message>
    <message>
        <source>Payment of %1 to account %2</source>
        <translation>Pago de %1 a la cuenta %2</translation>
    </message>
    <message>
        <source>Payment to account %1</source>
        <translation>Pago a la cuenta %1</translation>
    </message>
    <message>
        <source>Invoice to account %1</source>
        <translation>Factura a la cuenta %1</translation>
    </message>
    <message>
        <source>Amend</source>
        <translation>Corregir</translation>
    </message>
    <message>
        <source>Reschedule</source>
        <translation>Reprogramar</translation>
    </message>
    <message>
        <source>Open account</source>
        <translation>Abrir cuenta</translation>
    </message>
    <message>
        <source>Update account</source>
        <translation>Actualizar cuenta</translation>
    </message>
    <message>
        <source>Hold</source>
        <translation>Retener</translation>
    </message>
    <message>
        <source>Release</source>
        <translation>Liberar</translation>
    </message>
    <message>
        <source>Reverse payment</source>
        <translation>Anular pago</translation>
    </message>
    <message>
        <source>Credit</source>
        <translation>Abono</translation>
    </message>
    <message>
        <source>Register truck</source>
        <translation>Registrar camión</translation>
    </message>
    <message>
        <source>Out of service</source>
        <translation>Fuera de servicio</translation>
    </message>
    <message>
        <source>Back in service</source>
        <translation>De nuevo en servicio</translation>
    </message>
    <message>
        <source>Amend shipment %1</source>
        <translation>Corregir el envío %1</translation>
    </message>
    <message>
        <source>Reschedule shipment %1</source>
        <translation>Reprogramar el envío %1</translation>
    </message>
    <message>
        <source>Open account %1</source>
        <translation>Abrir la cuenta %1</translation>
    </message>
    <message>
        <source>Update account %1</source>
        <translation>Actualizar la cuenta %1</translation>
    </message>
    <message>
        <source>Put account %1 on hold</source>
        <translation>Retener la cuenta %1</translation>
    </message>
    <message>
        <source>Release account %1 from hold</source>
        <translation>Liberar la retención de la cuenta %1</translation>
    </message>
    <message>
        <source>Reverse a payment on account %1</source>
        <translation>Anular un pago de la cuenta %1</translation>
    </message>
    <message>
        <source>Credit of %1 to account %2</source>
        <translation>Abono de %1 a la cuenta %2</translation>
    </message>
    <message>
        <source>Credit to account %1</source>
        <translation>Abono a la cuenta %1</translation>
    </message>
    <message>
        <source>Register truck %1</source>
        <translation>Registrar el camión %1</translation>
    </message>
    <message>
        <source>Take truck %1 out of service</source>
        <translation>Dejar el camión %1 fuera de servicio</translation>
    </message>
    <message>
        <source>Return truck %1 to service</source>
        <translation>Devolver el camión %1 al servicio</translation>
    </message>
</context>
<context>
    <name>CommandLine</name>
    <message>
        <source>%1 (see --help)</source>
        <translation>%1 (vea --help)</translation>
    </message>
    <message>
        <source>The database: sqlite:PATH or postgresql://user[:password]@host[:port]/dbname (default: waybill.db in the user&apos;s data folder).</source>
        <translation>La base de datos: sqlite:RUTA o postgresql://usuario[:contraseña]@host[:puerto]/nombre (predeterminada: waybill.db en la carpeta de datos del usuario).</translation>
    </message>
    <message>
        <source>URL</source>
        <translation>URL</translation>
    </message>
    <message>
        <source>Where to serve (default 127.0.0.1:8080; port 0 takes a free port).</source>
        <translation>Dónde servir (predeterminado 127.0.0.1:8080; el puerto 0 toma un puerto libre).</translation>
    </message>
    <message>
        <source>HOST:PORT</source>
        <translation>HOST:PUERTO</translation>
    </message>
    <message>
        <source>The INI config file.</source>
        <translation>El archivo de configuración INI.</translation>
    </message>
    <message>
        <source>FILE</source>
        <translation>ARCHIVO</translation>
    </message>
    <message>
        <source>Serve HTTPS with this PEM certificate (needs --tls-key).</source>
        <translation>Servir HTTPS con este certificado PEM (requiere --tls-key).</translation>
    </message>
    <message>
        <source>The PEM private key of --tls-cert.</source>
        <translation>La clave privada PEM de --tls-cert.</translation>
    </message>
    <message>
        <source>token create: the token&apos;s name.</source>
        <translation>token create: el nombre del token.</translation>
    </message>
    <message>
        <source>NAME</source>
        <translation>NOMBRE</translation>
    </message>
    <message>
        <source>token create: the token&apos;s role.</source>
        <translation>token create: el rol del token.</translation>
    </message>
    <message>
        <source>ROLE</source>
        <translation>ROL</translation>
    </message>
    <message>
        <source>export: only this stream (shipment-ID or account-ID).</source>
        <translation>export: solo este flujo (shipment-ID o account-ID).</translation>
    </message>
    <message>
        <source>ID</source>
        <translation>ID</translation>
    </message>
    <message>
        <source>Empty to serve, or one of the commands above.</source>
        <translation>Vacío para servir, o una de las órdenes anteriores.</translation>
    </message>
    <message>
        <source>[command]</source>
        <translation>[orden]</translation>
    </message>
    <message>
        <source>--%1 is given more than once</source>
        <translation>--%1 se indica más de una vez</translation>
    </message>
    <message>
        <source>token revoke needs the name of the token</source>
        <translation>token revoke necesita el nombre del token</translation>
    </message>
    <message>
        <source>token needs an action: create, list or revoke</source>
        <translation>token necesita una acción: create, list o revoke</translation>
    </message>
    <message>
        <source>unknown token action &quot;%1&quot;: use create, list or revoke</source>
        <translation>acción de token desconocida «%1»: use create, list o revoke</translation>
    </message>
    <message>
        <source>unknown command &quot;%1&quot;</source>
        <translation>orden desconocida «%1»</translation>
    </message>
    <message>
        <source>unexpected argument &quot;%1&quot;</source>
        <translation>argumento inesperado «%1»</translation>
    </message>
    <message>
        <source>--%1 is only for serving, not for %2</source>
        <translation>--%1 solo sirve para servir, no para %2</translation>
    </message>
    <message>
        <source>--%1 goes with the %2 command only</source>
        <translation>--%1 solo va con la orden %2</translation>
    </message>
    <message>
        <source>token create needs --name NAME</source>
        <translation>token create necesita --name NOMBRE</translation>
    </message>
    <message>
        <source>token create needs --role ROLE</source>
        <translation>token create necesita --role ROL</translation>
    </message>
    <message>
        <source>--out needs a file name</source>
        <translation>--out necesita un nombre de archivo</translation>
    </message>
    <message>
        <source>--%1: &quot;%2&quot; is not an ISO-8601 time (e.g. 2026-11-27T10:00:00Z)</source>
        <translation>--%1: «%2» no es una hora ISO-8601 (p. ej. 2026-11-27T10:00:00Z)</translation>
    </message>
    <message>
        <source>--to must be later than --from</source>
        <translation>--to debe ser posterior a --from</translation>
    </message>
    <message>
        <source>--stream: &quot;%1&quot; is not a stream id (shipment-ID or account-ID)</source>
        <translation>--stream: «%1» no es un id de flujo (shipment-ID o account-ID)</translation>
    </message>
    <message>
        <source>Refuse to bill or pay accounts that were never opened (default: allowed).</source>
        <translation>Rechazar facturar o pagar a cuentas que nunca se abrieron (predeterminado: se permite).</translation>
    </message>
    <message>
        <source>Refuse to assign trucks that were never registered (default: allowed).</source>
        <translation>Rechazar asignar camiones que nunca se registraron (predeterminado: se permite).</translation>
    </message>
    <message>
        <source>verify: check the chain up to this position of the log (needs --hash).</source>
        <translation>verify: comprueba la cadena hasta esta posición del registro (requiere --hash).</translation>
    </message>
    <message>
        <source>P</source>
        <translation>P</translation>
    </message>
    <message>
        <source>verify: the hash the event at --position must have (64 hex digits).</source>
        <translation>verify: el hash que debe tener el evento en --position (64 dígitos hexadecimales).</translation>
    </message>
    <message>
        <source>H</source>
        <translation>H</translation>
    </message>
    <message>
        <source>--position and --hash go together: the hash of the event at P</source>
        <translation>--position y --hash van juntos: el hash del evento en P</translation>
    </message>
    <message>
        <source>--position: &quot;%1&quot; is not a position of the log (a whole number, 1 or more)</source>
        <translation>--position: «%1» no es una posición del registro (un número entero, 1 o más)</translation>
    </message>
    <message>
        <source>--hash: &quot;%1&quot; is not a hash of the log (64 hex digits)</source>
        <translation>--hash: «%1» no es un hash del registro (64 dígitos hexadecimales)</translation>
    </message>
    <message>
        <source>Price shipments by this rate table file (JSON; default: 28 cents per pound).</source>
        <translation>Cotiza los envíos con este archivo de tarifas (JSON; por omisión: 28 centavos por libra).</translation>
    </message>
    <message>
        <source>document invoice needs the invoice number, e.g. INV-000042</source>
        <translation>document invoice necesita el número de factura, p. ej. INV-000042</translation>
    </message>
    <message>
        <source>&quot;%1&quot; is not an invoice number (INV- and digits, e.g. INV-000042)</source>
        <translation>«%1» no es un número de factura (INV- y dígitos, p. ej. INV-000042)</translation>
    </message>
    <message>
        <source>document statement needs the account&apos;s id</source>
        <translation>document statement necesita el id de la cuenta</translation>
    </message>
    <message>
        <source>document bill-of-lading needs the shipment&apos;s id</source>
        <translation>document bill-of-lading necesita el id del envío</translation>
    </message>
    <message>
        <source>&quot;%1&quot; is not an id (1 to 64 letters, digits, &apos;-&apos;, &apos;_&apos; or &apos;.&apos;)</source>
        <translation>«%1» no es un id (de 1 a 64 letras, dígitos, &apos;-&apos;, &apos;_&apos; o &apos;.&apos;)</translation>
    </message>
    <message>
        <source>document needs a kind: invoice, statement or bill-of-lading</source>
        <translation>document necesita un tipo: invoice, statement o bill-of-lading</translation>
    </message>
    <message>
        <source>unknown document &quot;%1&quot;: use invoice, statement or bill-of-lading</source>
        <translation>documento desconocido «%1»: use invoice, statement o bill-of-lading</translation>
    </message>
    <message>
        <source>--%1 goes with the %2 and %3 commands only</source>
        <translation>--%1 solo va con las órdenes %2 y %3</translation>
    </message>
    <message>
        <source>document needs --out FILE.pdf: the file to write</source>
        <translation>document necesita --out ARCHIVO.pdf: el archivo que se escribe</translation>
    </message>
    <message>
        <source>--%1 goes with document statement only</source>
        <translation>--%1 solo va con document statement</translation>
    </message>
    <message>
        <source>document statement needs --from DATE and --to DATE</source>
        <translation>document statement necesita --from FECHA y --to FECHA</translation>
    </message>
    <message>
        <source>--%1: &quot;%2&quot; is not a day (YYYY-MM-DD, e.g. 2026-11-27)</source>
        <translation>--%1: «%2» no es un día (AAAA-MM-DD, p. ej. 2026-11-27)</translation>
    </message>
    <message>
        <source>--to must not be before --from</source>
        <translation>--to no puede ser anterior a --from</translation>
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
        <translation>El servidor sin interfaz de Waybill y sus órdenes de administración.

Sin orden, sirve la API HTTP hasta recibir SIGINT o SIGTERM; entonces termina las
órdenes en curso y sale; SIGHUP vuelve a leer la configuración.

Órdenes:
  token create --name NOMBRE --role ROL  crea un token de la API (se muestra una vez, en la última línea)
      ROL: customer-service, dispatch, finance, auditor, admin o monitoring
  token list                             lista los tokens (nombre, rol, creación)
  token revoke NOMBRE                    revoca un token
  export [--out ARCHIVO] [--from T] [--to T] [--stream ID]
                                         el CSV de auditoría de los eventos
  verify [--position P --hash H]         comprueba la cadena de hashes de los eventos (hasta P,
                                         y que el evento en P tiene el hash H)
  rebuild-projections                    reconstruye los modelos de lectura a partir de los eventos
  document invoice INV-N --out ARCHIVO.pdf
                                         una factura en PDF
  document statement CUENTA --from FECHA --to FECHA --out ARCHIVO.pdf
                                         el estado de una cuenta de los días de FECHA
                                         a FECHA (AAAA-MM-DD, UTC) en PDF
  document bill-of-lading ENVÍO --out ARCHIVO.pdf
                                         la carta de porte de un envío en PDF
      Cada documento termina con la posición del registro y el hash que refleja:
      compruébelos con verify --position P --hash H. Los documentos se componen con
      la interfaz gráfica de Qt; sin QT_QPA_PLATFORM, se usa la plataforma offscreen
      (no hace falta pantalla).
  copy --from URL --to URL               copia todo el historial en una base de datos vacía
                                         (SQLite o PostgreSQL, en cualquier sentido) y luego
                                         verifica allí su cadena de hashes
  backup --out ARCHIVO                   una copia coherente de la base de datos SQLite, tomada
                                         mientras sirve (PostgreSQL: use pg_dump)

Cada ajuste se toma de su opción; si no, de su variable de entorno (WAYBILL_DB,
WAYBILL_LISTEN, WAYBILL_REQUIRE_REGISTERED_ACCOUNTS, WAYBILL_REQUIRE_REGISTERED_TRUCKS);
si no, del archivo de --config; si no, del valor predeterminado.
Códigos de salida: 0 hecho, 1 error, 2 uso incorrecto, 3 la base de datos es más nueva que este servidor.</translation>
    </message>
    <message>
        <source>export: write to FILE instead of stdout; document: the PDF file to write; backup: the new file to write.</source>
        <translation>export: escribe en ARCHIVO en lugar de la salida estándar; document: el archivo PDF que se escribe; backup: el archivo nuevo que se escribe.</translation>
    </message>
    <message>
        <source>export: events at or after this ISO-8601 time; document statement: the period&apos;s first day (YYYY-MM-DD); copy: the database to copy (URL).</source>
        <translation>export: eventos en esta hora ISO-8601 o después; document statement: el primer día del periodo (AAAA-MM-DD); copy: la base de datos que se copia (URL).</translation>
    </message>
    <message>
        <source>T|URL</source>
        <translation>T|URL</translation>
    </message>
    <message>
        <source>export: events before this ISO-8601 time; document statement: the period&apos;s last day (YYYY-MM-DD); copy: the empty database to copy into (URL).</source>
        <translation>export: eventos antes de esta hora ISO-8601; document statement: el último día del periodo (AAAA-MM-DD); copy: la base de datos vacía en la que se copia (URL).</translation>
    </message>
    <message>
        <source>copy takes its databases from --from and --to, not --db</source>
        <translation>copy toma sus bases de datos de --from y --to, no de --db</translation>
    </message>
    <message>
        <source>copy needs --from URL (the database to copy) and --to URL (an empty database to copy into)</source>
        <translation>copy necesita --from URL (la base de datos que se copia) y --to URL (una base de datos vacía en la que copiar)</translation>
    </message>
    <message>
        <source>copy: --from and --to name the same database</source>
        <translation>copy: --from y --to nombran la misma base de datos</translation>
    </message>
    <message>
        <source>backup needs --out FILE (a file that does not exist yet)</source>
        <translation>backup necesita --out ARCHIVO (un archivo que aún no exista)</translation>
    </message>
</context>
<context>
    <name>CommandLineOptions</name>
    <message>
        <source>Waybill: shipments, dispatch and billing. With no arguments it keeps its data on this computer; with --server it works with a waybill-server on the network.</source>
        <translation>Waybill: envíos, despacho y facturación. Sin argumentos guarda sus datos en este equipo; con --server trabaja con un waybill-server de la red.</translation>
    </message>
    <message>
        <source>Show this help and exit.</source>
        <translation>Muestra esta ayuda y termina.</translation>
    </message>
    <message>
        <source>Show the version and exit.</source>
        <translation>Muestra la versión y termina.</translation>
    </message>
    <message>
        <source>Work with the waybill-server at URL (http or https).</source>
        <translation>Trabaja con el waybill-server en URL (http o https).</translation>
    </message>
    <message>
        <source>The access token for --server (or set WAYBILL_TOKEN).</source>
        <translation>El token de acceso para --server (o defina WAYBILL_TOKEN).</translation>
    </message>
    <message>
        <source>The language of the app: en or es.</source>
        <translation>El idioma de la aplicación: en o es.</translation>
    </message>
    <message>
        <source>Keep this computer&apos;s data in DIR instead of the user&apos;s data folder.</source>
        <translation>Guarda los datos de este equipo en DIR en lugar de la carpeta de datos del usuario.</translation>
    </message>
    <message>
        <source>Render each main view, with demo data, as PNG files into DIR and exit.</source>
        <translation>Dibuja cada vista principal, con datos de demostración, como archivos PNG en DIR y termina.</translation>
    </message>
    <message>
        <source>Unexpected argument: %1</source>
        <translation>Argumento inesperado: %1</translation>
    </message>
    <message>
        <source>--server needs an http or https address, e.g. http://server:8080; got &quot;%1&quot;.</source>
        <translation>--server necesita una dirección http o https, p. ej. http://servidor:8080; se recibió «%1».</translation>
    </message>
    <message>
        <source>--server needs --token TOKEN (or WAYBILL_TOKEN in the environment).</source>
        <translation>--server necesita --token TOKEN (o WAYBILL_TOKEN en el entorno).</translation>
    </message>
    <message>
        <source>--token goes with --server URL.</source>
        <translation>--token va junto con --server URL.</translation>
    </message>
    <message>
        <source>--language must be one of: %1.</source>
        <translation>--language debe ser uno de: %1.</translation>
    </message>
    <message>
        <source>Trust the certificate authorities in this PEM FILE for servers&apos; certificates (or set WAYBILL_CA_FILE).</source>
        <translation>Confiar en las autoridades de certificación de este ARCHIVO PEM para los certificados de los servidores (o defina WAYBILL_CA_FILE).</translation>
    </message>
    <message>
        <source>--ca-file: %1 cannot be read.</source>
        <translation>--ca-file: no se puede leer %1.</translation>
    </message>
    <message>
        <source>Try Waybill on a working week of sample shipments, accounts and trucks, kept in a demo database of their own (the folder &quot;demo&quot; in the data folder), apart from your data.</source>
        <translation>Pruebe Waybill con una semana de trabajo de envíos, cuentas y camiones de ejemplo, guardados en una base de datos de demostración propia (la carpeta &quot;demo&quot; de la carpeta de datos), aparte de sus datos.</translation>
    </message>
    <message>
        <source>--demo runs on this computer&apos;s demo database; it cannot go with --server.</source>
        <translation>--demo usa la base de datos de demostración de este equipo; no se puede combinar con --server.</translation>
    </message>
</context>
<context>
    <name>CopyCommands</name>
    <message>
        <source>copying %1 (%2 rows)</source>
        <translation>copiando %1 (%2 filas)</translation>
    </message>
    <message>
        <source>copied %1 of %2 rows of %3; %4 of %5 rows in all</source>
        <translation>copiadas %1 de %2 filas de %3; %4 de %5 filas en total</translation>
    </message>
    <message>
        <source>verifying the copy at the target</source>
        <translation>verificando la copia en el destino</translation>
    </message>
    <message>
        <source>Copied %1 rows, %2 events of them, from %3 to %4.</source>
        <translation>Copiadas %1 filas, %2 de ellas eventos, de %3 a %4.</translation>
    </message>
    <message>
        <source>The hash chain at the target is intact. Last position: %1</source>
        <translation>La cadena de hashes en el destino está intacta. Última posición: %1</translation>
    </message>
    <message>
        <source>Last hash: %1</source>
        <translation>Último hash: %1</translation>
    </message>
    <message>
        <source>copy failed: %1</source>
        <translation>la copia falló: %1</translation>
    </message>
    <message>
        <source>%1 is marked as an unfinished copy and will not be served; empty it and copy again</source>
        <translation>%1 está marcada como una copia sin terminar y no se servirá; vacíela y vuelva a copiar</translation>
    </message>
    <message>
        <source>backup writes SQLite databases only; for PostgreSQL use pg_dump, e.g. pg_dump --format=custom --file=waybill.dump DBNAME (docs/operations.md)</source>
        <translation>backup solo escribe bases de datos SQLite; para PostgreSQL use pg_dump, p. ej. pg_dump --format=custom --file=waybill.dump NOMBRE (docs/operations.md)</translation>
    </message>
    <message>
        <source>%1 exists already: backup writes a new file only</source>
        <translation>%1 ya existe: backup solo escribe un archivo nuevo</translation>
    </message>
    <message>
        <source>the backup %1 was written, but its hash chain is broken at position %2: %3</source>
        <translation>se escribió la copia de seguridad %1, pero su cadena de hashes está rota en la posición %2: %3</translation>
    </message>
    <message>
        <source>Backed up to %1. The hash chain is intact. Events checked: %2</source>
        <translation>Copia de seguridad en %1. La cadena de hashes está intacta. Eventos comprobados: %2</translation>
    </message>
    <message>
        <source>Last position: %1</source>
        <translation>Última posición: %1</translation>
    </message>
</context>
<context>
    <name>CredentialFile</name>
    <message>
        <source>The folder %1 could not be created.</source>
        <translation>No se pudo crear la carpeta %1.</translation>
    </message>
    <message>
        <source>%1 could not be written: %2</source>
        <translation>No se pudo escribir %1: %2</translation>
    </message>
</context>
<context>
    <name>DataMover</name>
    <message>
        <source>Give the address of the server&apos;s PostgreSQL database, as postgresql://user@host:port/dbname</source>
        <translation>Indique la dirección de la base de datos PostgreSQL del servidor, como postgresql://usuario@host:puerto/nombre</translation>
    </message>
    <message>
        <source>Copying %1…</source>
        <translation>Copiando %1…</translation>
    </message>
    <message>
        <source>Checking the copy…</source>
        <translation>Comprobando la copia…</translation>
    </message>
    <message>
        <source>Done</source>
        <translation>Hecho</translation>
    </message>
    <message>
        <source>Moved %1 events to %2. The copy&apos;s hash chain is intact up to position %3.</source>
        <translation>Se movieron %1 eventos a %2. La cadena de hashes de la copia está intacta hasta la posición %3.</translation>
    </message>
    <message>
        <source>The move failed: %1</source>
        <translation>El traslado falló: %1</translation>
    </message>
</context>
<context>
    <name>DatabaseAccess</name>
    <message>
        <source>cannot create the data folder %1</source>
        <translation>no se puede crear la carpeta de datos %1</translation>
    </message>
    <message>
        <source>there is no database at %1 (give one with --db)</source>
        <translation>no hay ninguna base de datos en %1 (indique una con --db)</translation>
    </message>
    <message>
        <source>cannot create %1: %2</source>
        <translation>no se puede crear %1: %2</translation>
    </message>
</context>
<context>
    <name>DocumentCommands</name>
    <message numerus="yes">
        <source>Wrote %1 to %2 (%n page(s)). Its proof: %3</source>
        <translation>
            <numerusform>Se escribió %1 en %2 (%n página). Su prueba: %3</numerusform>
            <numerusform>Se escribió %1 en %2 (%n páginas). Su prueba: %3</numerusform>
        </translation>
    </message>
    <message>
        <source>no invoice %1 in this database</source>
        <translation>no hay factura %1 en esta base de datos</translation>
    </message>
    <message>
        <source>account %1 has no entries up to %2</source>
        <translation>la cuenta %1 no tiene movimientos hasta el %2</translation>
    </message>
    <message>
        <source>no shipment %1 in this database</source>
        <translation>no hay envío %1 en esta base de datos</translation>
    </message>
    <message>
        <source>cannot write %1: %2</source>
        <translation>no se puede escribir %1: %2</translation>
    </message>
</context>
<context>
    <name>EmbeddedServer</name>
    <message>
        <source>The local server could not start: %1</source>
        <translation>El servidor local no pudo arrancar: %1</translation>
    </message>
    <message>
        <source>The local database %1 could not be opened: %2</source>
        <translation>No se pudo abrir la base de datos local %1: %2</translation>
    </message>
    <message>
        <source>The access token could not be kept: %1</source>
        <translation>No se pudo guardar el token de acceso: %1</translation>
    </message>
    <message>
        <source>The rate table is refused: %1</source>
        <translation>La tabla de tarifas no es válida: %1</translation>
    </message>
</context>
<context>
    <name>EventDescription</name>
    <message>
        <source>Submitted</source>
        <translation>Registrado</translation>
    </message>
    <message>
        <source>Assigned</source>
        <translation>Asignado</translation>
    </message>
    <message>
        <source>Shipped</source>
        <translation>Enviado</translation>
    </message>
    <message>
        <source>Delivered</source>
        <translation>Entregado</translation>
    </message>
    <message>
        <source>Cancelled</source>
        <translation>Cancelado</translation>
    </message>
    <message>
        <source>Payment received</source>
        <translation>Pago recibido</translation>
    </message>
    <message>
        <source>Invoiced</source>
        <translation>Facturado</translation>
    </message>
    <message>
        <source>%1, %2</source>
        <extracomment>A place: city and state, e.g. &quot;Austin, TX&quot;</extracomment>
        <translation>%1, %2</translation>
    </message>
    <message>
        <source>Submitted: %1 lb from %2 to %3, bill to %4, cost %5</source>
        <translation>Registrado: %1 lb de %2 a %3, facturar a %4, costo %5</translation>
    </message>
    <message>
        <source>Assigned to truck %1</source>
        <translation>Asignado al camión %1</translation>
    </message>
    <message>
        <source>Re-assigned from truck %1 to truck %2</source>
        <translation>Reasignado del camión %1 al camión %2</translation>
    </message>
    <message>
        <source>Shipped: on the road</source>
        <translation>Enviado: en ruta</translation>
    </message>
    <message>
        <source>Delivered, signed by %1</source>
        <translation>Entregado, firmado por %1</translation>
    </message>
    <message>
        <source>Cancelled: %1</source>
        <translation>Cancelado: %1</translation>
    </message>
    <message>
        <source>Payment received: %1</source>
        <translation>Pago recibido: %1</translation>
    </message>
    <message>
        <source>Invoiced %1 for shipment %2</source>
        <translation>Facturado %1 por el envío %2</translation>
    </message>
    <message>
        <source>Amended</source>
        <translation>Corregido</translation>
    </message>
    <message>
        <source>Rescheduled</source>
        <translation>Reprogramado</translation>
    </message>
    <message>
        <source>Account opened</source>
        <translation>Cuenta abierta</translation>
    </message>
    <message>
        <source>Account updated</source>
        <translation>Cuenta actualizada</translation>
    </message>
    <message>
        <source>Placed on hold</source>
        <translation>Bloqueada</translation>
    </message>
    <message>
        <source>Released from hold</source>
        <translation>Desbloqueada</translation>
    </message>
    <message>
        <source>Payment reversed</source>
        <translation>Pago anulado</translation>
    </message>
    <message>
        <source>Credit memo</source>
        <translation>Nota de crédito</translation>
    </message>
    <message>
        <source>Truck registered</source>
        <translation>Camión registrado</translation>
    </message>
    <message>
        <source>Out of service</source>
        <translation>Fuera de servicio</translation>
    </message>
    <message>
        <source>Back in service</source>
        <translation>De nuevo en servicio</translation>
    </message>
    <message>
        <source>Rescheduled: %1</source>
        <translation>Reprogramado: %1</translation>
    </message>
    <message>
        <source>Placed on hold: %1</source>
        <translation>Bloqueada: %1</translation>
    </message>
    <message>
        <source>Payment of %1 reversed: %2</source>
        <translation>Pago de %1 anulado: %2</translation>
    </message>
    <message>
        <source>Credit memo of %1: %2</source>
        <translation>Nota de crédito de %1: %2</translation>
    </message>
    <message>
        <source>Credit memo of %1 for shipment %2: %3</source>
        <translation>Nota de crédito de %1 por el envío %2: %3</translation>
    </message>
    <message>
        <source>capacity %1 lb</source>
        <translation>capacidad %1 lb</translation>
    </message>
    <message>
        <source>Truck registered: %1</source>
        <translation>Camión registrado: %1</translation>
    </message>
    <message>
        <source>Out of service: %1</source>
        <translation>Fuera de servicio: %1</translation>
    </message>
    <message>
        <source>weight %1 lb</source>
        <translation>peso %1 lb</translation>
    </message>
    <message>
        <source>from %1</source>
        <translation>desde %1</translation>
    </message>
    <message>
        <source>to %1</source>
        <translation>hasta %1</translation>
    </message>
    <message>
        <source>bill to %1</source>
        <translation>facturar a %1</translation>
    </message>
    <message>
        <source>new pickup window</source>
        <translation>nueva ventana de recogida</translation>
    </message>
    <message>
        <source>new delivery window</source>
        <translation>nueva ventana de entrega</translation>
    </message>
    <message>
        <source>re-priced to %1</source>
        <translation>nuevo precio %1</translation>
    </message>
    <message>
        <source>Amended: %1 (%2)</source>
        <extracomment>An amendment: the changes, then the reason, e.g. &quot;Amended: weight 900 lb (typo)&quot;</extracomment>
        <translation>Corregido: %1 (%2)</translation>
    </message>
    <message>
        <source>name %1</source>
        <translation>nombre %1</translation>
    </message>
    <message>
        <source>billing address %1</source>
        <translation>dirección de facturación %1</translation>
    </message>
    <message numerus="yes">
        <source>terms %n day(s)</source>
        <translation>
            <numerusform>plazo %n día</numerusform>
            <numerusform>plazo %n días</numerusform>
        </translation>
    </message>
    <message>
        <source>credit limit %1</source>
        <translation>límite de crédito %1</translation>
    </message>
    <message>
        <source>no credit limit</source>
        <translation>sin límite de crédito</translation>
    </message>
    <message>
        <source>Account opened: %1</source>
        <translation>Cuenta abierta: %1</translation>
    </message>
    <message>
        <source>Account updated: %1</source>
        <translation>Cuenta actualizada: %1</translation>
    </message>
</context>
<context>
    <name>HistoryCopy</name>
    <message>
        <source>%1 holds no Waybill history</source>
        <translation>%1 no contiene ningún historial de Waybill</translation>
    </message>
    <message>
        <source>will not copy into %1: %2</source>
        <translation>no se copiará en %1: %2</translation>
    </message>
    <message>
        <source>the copy is not whole: %1 has %2 rows at the target and %3 at the source</source>
        <translation>la copia no está completa: %1 tiene %2 filas en el destino y %3 en el origen</translation>
    </message>
    <message>
        <source>the hash chain at the target is broken at position %1: %2</source>
        <translation>la cadena de hashes en el destino está rota en la posición %1: %2</translation>
    </message>
    <message>
        <source>the hash chain at the target ends at position %1 with %2, the source&apos;s at %3 with %4</source>
        <translation>la cadena de hashes en el destino termina en la posición %1 con %2, la del origen en %3 con %4</translation>
    </message>
</context>
<context>
    <name>Identity</name>
    <message>
        <source>Customer Service</source>
        <translation>Atención al cliente</translation>
    </message>
    <message>
        <source>Dispatch</source>
        <translation>Despacho</translation>
    </message>
    <message>
        <source>Finance</source>
        <translation>Finanzas</translation>
    </message>
    <message>
        <source>Auditor</source>
        <translation>Auditor</translation>
    </message>
    <message>
        <source>Administrator</source>
        <translation>Administrador</translation>
    </message>
    <message>
        <source>Unknown role</source>
        <translation>Rol desconocido</translation>
    </message>
</context>
<context>
    <name>IniFile</name>
    <message>
        <source>cannot read the config file %1: %2</source>
        <translation>no se puede leer el archivo de configuración %1: %2</translation>
    </message>
    <message>
        <source>a section header must end with ]</source>
        <translation>un encabezado de sección debe terminar en ]</translation>
    </message>
    <message>
        <source>&quot;%1&quot; is not a valid section name</source>
        <translation>«%1» no es un nombre de sección válido</translation>
    </message>
    <message>
        <source>expected key = value or [section]</source>
        <translation>se esperaba clave = valor o [sección]</translation>
    </message>
    <message>
        <source>&quot;%1&quot; is not a valid key name</source>
        <translation>«%1» no es un nombre de clave válido</translation>
    </message>
    <message>
        <source>&quot;%1&quot; is already set on line %2</source>
        <translation>«%1» ya se asignó en la línea %2</translation>
    </message>
    <message>
        <source>the value of &quot;%1&quot; starts with a double quote but does not end with one (only a comment may follow it, after a blank)</source>
        <translation>el valor de «%1» empieza con comillas dobles pero no las cierra (tras ellas solo puede ir un comentario, después de un espacio)</translation>
    </message>
</context>
<context>
    <name>ListenAddress</name>
    <message>
        <source>bad listen address &quot;%1&quot;: %2</source>
        <translation>dirección de escucha incorrecta «%1»: %2</translation>
    </message>
    <message>
        <source>expected HOST:PORT, e.g. 127.0.0.1:8080</source>
        <translation>se esperaba HOST:PUERTO, p. ej. 127.0.0.1:8080</translation>
    </message>
    <message>
        <source>the port must be a number from 0 to 65535</source>
        <translation>el puerto debe ser un número de 0 a 65535</translation>
    </message>
    <message>
        <source>&quot;%1&quot; is not an IPv6 address</source>
        <translation>«%1» no es una dirección IPv6</translation>
    </message>
    <message>
        <source>write an IPv6 address in brackets, e.g. [::1]:8080</source>
        <translation>escriba una dirección IPv6 entre corchetes, p. ej. [::1]:8080</translation>
    </message>
    <message>
        <source>&quot;%1&quot; is not an IP address</source>
        <translation>«%1» no es una dirección IP</translation>
    </message>
</context>
<context>
    <name>MoneyText</name>
    <message>
        <source>$%1</source>
        <extracomment>An amount of money in dollars; %1 is the number, e.g. 1,234.50</extracomment>
        <translation>$%1</translation>
    </message>
</context>
<context>
    <name>QuoteText</name>
    <message>
        <source>Linehaul</source>
        <translation>Flete</translation>
    </message>
    <message>
        <source>Fuel surcharge</source>
        <translation>Recargo por combustible</translation>
    </message>
</context>
<context>
    <name>RateTableFile</name>
    <message>
        <source>&quot;%1&quot; is given twice</source>
        <translation>&quot;%1&quot; aparece dos veces</translation>
    </message>
    <message>
        <source>&quot;%1&quot; is not allowed here (allowed: %2)</source>
        <translation>&quot;%1&quot; no se admite aquí (se admiten: %2)</translation>
    </message>
    <message>
        <source>&quot;%1&quot; is required here</source>
        <translation>&quot;%1&quot; es obligatorio aquí</translation>
    </message>
    <message>
        <source>&quot;%1&quot; must be a whole number of cents from 0 to %2</source>
        <translation>&quot;%1&quot; debe ser un número entero de centavos de 0 a %2</translation>
    </message>
    <message>
        <source>&quot;%1&quot; must be a state&apos;s two letters or &quot;*&quot; for any state</source>
        <translation>&quot;%1&quot; debe ser las dos letras de un estado o &quot;*&quot; para cualquier estado</translation>
    </message>
    <message>
        <source>&quot;version&quot; must be 1 to 64 letters, digits, &apos;-&apos;, &apos;_&apos; or &apos;.&apos;</source>
        <translation>&quot;version&quot; debe tener de 1 a 64 letras, dígitos, &apos;-&apos;, &apos;_&apos; o &apos;.&apos;</translation>
    </message>
    <message>
        <source>&quot;lanes&quot; must be a list of lanes</source>
        <translation>&quot;lanes&quot; debe ser una lista de rutas</translation>
    </message>
    <message>
        <source>a lane must be an object</source>
        <translation>una ruta debe ser un objeto</translation>
    </message>
    <message>
        <source>the lane %1-&gt;%2 is given twice</source>
        <translation>la ruta %1-&gt;%2 aparece dos veces</translation>
    </message>
    <message>
        <source>the lanes must include &quot;*&quot;-&gt;&quot;*&quot;, the price of every shipment no other lane covers</source>
        <translation>las rutas deben incluir &quot;*&quot;-&gt;&quot;*&quot;, el precio de todo envío que ninguna otra ruta cubre</translation>
    </message>
    <message>
        <source>&quot;fuelSurcharge&quot; must be a list of {&quot;from&quot;, &quot;percent&quot;}</source>
        <translation>&quot;fuelSurcharge&quot; debe ser una lista de {&quot;from&quot;, &quot;percent&quot;}</translation>
    </message>
    <message>
        <source>a fuel surcharge must be an object</source>
        <translation>un recargo por combustible debe ser un objeto</translation>
    </message>
    <message>
        <source>&quot;from&quot; must be a day written YYYY-MM-DD</source>
        <translation>&quot;from&quot; debe ser un día escrito AAAA-MM-DD</translation>
    </message>
    <message>
        <source>&quot;percent&quot; must be a number from 0 to 100 with at most two decimals</source>
        <translation>&quot;percent&quot; debe ser un número de 0 a 100 con dos decimales como máximo</translation>
    </message>
    <message>
        <source>the fuel surcharges must be in order of their days, each day once</source>
        <translation>los recargos por combustible deben ir en el orden de sus días, cada día una vez</translation>
    </message>
    <message>
        <source>&quot;accessorials&quot; must be an object of codes and their cents</source>
        <translation>&quot;accessorials&quot; debe ser un objeto de códigos y sus centavos</translation>
    </message>
    <message>
        <source>the accessorial code &quot;%1&quot; must be 1 to 64 letters, digits, &apos;-&apos;, &apos;_&apos; or &apos;.&apos;, and not &quot;linehaul&quot; or &quot;fuel&quot;</source>
        <translation>el código de servicio adicional &quot;%1&quot; debe tener de 1 a 64 letras, dígitos, &apos;-&apos;, &apos;_&apos; o &apos;.&apos;, y no ser &quot;linehaul&quot; ni &quot;fuel&quot;</translation>
    </message>
    <message>
        <source>not valid JSON (%1)</source>
        <translation>no es JSON válido (%1)</translation>
    </message>
    <message>
        <source>a rate table is a JSON object</source>
        <translation>una tabla de tarifas es un objeto JSON</translation>
    </message>
    <message>
        <source>%1: cannot read the rate table (%2)</source>
        <translation>%1: no se puede leer la tabla de tarifas (%2)</translation>
    </message>
</context>
<context>
    <name>ReportChart</name>
    <message>
        <source>Net revenue</source>
        <translation>Ingresos netos</translation>
    </message>
    <message>
        <source>Revenue by week</source>
        <translation>Ingresos por semana</translation>
    </message>
    <message>
        <source>Revenue by account</source>
        <translation>Ingresos por cuenta</translation>
    </message>
    <message>
        <source>On-time delivery rate by week</source>
        <translation>Tasa de entregas a tiempo por semana</translation>
    </message>
    <message>
        <source>On time</source>
        <translation>A tiempo</translation>
    </message>
    <message>
        <source>Late</source>
        <translation>Con retraso</translation>
    </message>
    <message>
        <source>On-time rate</source>
        <translation>Tasa a tiempo</translation>
    </message>
    <message>
        <source>Deliveries with a window</source>
        <translation>Entregas con ventana</translation>
    </message>
    <message>
        <source>Time with a load</source>
        <translation>Tiempo con carga</translation>
    </message>
    <message>
        <source>Truck utilisation</source>
        <translation>Uso de camiones</translation>
    </message>
    <message>
        <source>Open invoices by days past due</source>
        <translation>Facturas abiertas por días de vencimiento</translation>
    </message>
</context>
<context>
    <name>ReportTable</name>
    <message>
        <source>Invoices</source>
        <translation>Facturas</translation>
    </message>
    <message>
        <source>Invoiced</source>
        <translation>Facturado</translation>
    </message>
    <message>
        <source>Credited</source>
        <translation>Abonado</translation>
    </message>
    <message>
        <source>Net revenue</source>
        <translation>Ingresos netos</translation>
    </message>
    <message>
        <source>–</source>
        <translation>–</translation>
    </message>
    <message>
        <source>%1 %</source>
        <translation>%1 %</translation>
    </message>
    <message>
        <source>%1 h</source>
        <translation>%1 h</translation>
    </message>
    <message>
        <source>Week of</source>
        <translation>Semana del</translation>
    </message>
    <message>
        <source>Account</source>
        <translation>Cuenta</translation>
    </message>
    <message>
        <source>Delivered</source>
        <translation>Entregados</translation>
    </message>
    <message>
        <source>With a delivery window</source>
        <translation>Con ventana de entrega</translation>
    </message>
    <message>
        <source>On time</source>
        <translation>A tiempo</translation>
    </message>
    <message>
        <source>Late</source>
        <translation>Con retraso</translation>
    </message>
    <message>
        <source>On-time rate</source>
        <translation>Tasa a tiempo</translation>
    </message>
    <message>
        <source>Truck</source>
        <translation>Camión</translation>
    </message>
    <message>
        <source>Loads</source>
        <translation>Cargas</translation>
    </message>
    <message>
        <source>Time with a load</source>
        <translation>Tiempo con carga</translation>
    </message>
    <message>
        <source>Utilisation</source>
        <translation>Uso</translation>
    </message>
    <message>
        <source>Not yet due</source>
        <translation>Sin vencer</translation>
    </message>
    <message>
        <source>1–30 days</source>
        <translation>1–30 días</translation>
    </message>
    <message>
        <source>31–60 days</source>
        <translation>31–60 días</translation>
    </message>
    <message>
        <source>61–90 days</source>
        <translation>61–90 días</translation>
    </message>
    <message>
        <source>Over 90 days</source>
        <translation>Más de 90 días</translation>
    </message>
    <message>
        <source>Total open</source>
        <translation>Total abierto</translation>
    </message>
</context>
<context>
    <name>ScreenshotRenderer</name>
    <message>
        <source>Could not write %1</source>
        <translation>No se pudo escribir %1</translation>
    </message>
    <message>
        <source>Could not create %1</source>
        <translation>No se pudo crear %1</translation>
    </message>
    <message>
        <source>The demo server did not start: %1</source>
        <translation>El servidor de demostración no arrancó: %1</translation>
    </message>
    <message>
        <source>Could not connect to the demo server: %1</source>
        <translation>No se pudo conectar con el servidor de demostración: %1</translation>
    </message>
    <message>
        <source>The demo data could not be made: %1</source>
        <translation>No se pudieron crear los datos de demostración: %1</translation>
    </message>
    <message>
        <source>This computer</source>
        <translation>Este equipo</translation>
    </message>
    <message>
        <source>Keyed as $900 instead of $90</source>
        <translation>Se tecleó 900 $ en vez de 90 $</translation>
    </message>
    <message>
        <source>Damaged on delivery</source>
        <translation>Dañado en la entrega</translation>
    </message>
    <message>
        <source>Flat tyre</source>
        <translation>Pinchazo</translation>
    </message>
    <message>
        <source>Two more pallets</source>
        <translation>Dos palés más</translation>
    </message>
</context>
<context>
    <name>ServeCommand</name>
    <message>
        <source>cannot open the database %1: %2</source>
        <translation>no se puede abrir la base de datos %1: %2</translation>
    </message>
    <message>
        <source>cannot start: %1</source>
        <translation>no se puede arrancar: %1</translation>
    </message>
    <message>
        <source>cannot serve on %1:%2: %3</source>
        <translation>no se puede servir en %1:%2: %3</translation>
    </message>
    <message>
        <source>Waybill server listening on %1</source>
        <translation>Servidor Waybill escuchando en %1</translation>
    </message>
    <message>
        <source>cannot use the database %1 as user %2: %3</source>
        <translation>no se puede usar la base de datos %1 como el usuario %2: %3</translation>
    </message>
    <message>
        <source>will not serve %1: %2</source>
        <translation>no se servirá %1: %2</translation>
    </message>
</context>
<context>
    <name>ServerApplication</name>
    <message>
        <source>database error (%1): %2</source>
        <translation>error de la base de datos (%1): %2</translation>
    </message>
    <message>
        <source>failed: %1</source>
        <translation>falló: %1</translation>
    </message>
</context>
<context>
    <name>ServerConfig</name>
    <message>
        <source>%1 must be a whole number from %2 to %3, not &quot;%4&quot;</source>
        <translation>%1 debe ser un número entero de %2 a %3, no «%4»</translation>
    </message>
    <message>
        <source>unknown setting &quot;%1&quot; outside any section</source>
        <translation>ajuste desconocido «%1» fuera de toda sección</translation>
    </message>
    <message>
        <source>unknown setting &quot;%1&quot; in [%2]</source>
        <translation>ajuste desconocido «%1» en [%2]</translation>
    </message>
    <message>
        <source>HTTPS needs both a certificate (--tls-cert) and its private key (--tls-key)</source>
        <translation>HTTPS necesita un certificado (--tls-cert) y su clave privada (--tls-key)</translation>
    </message>
    <message>
        <source>cannot read %1</source>
        <translation>no se puede leer %1</translation>
    </message>
    <message>
        <source>%1 must be true or false, not &quot;%2&quot;</source>
        <translation>%1 debe ser true o false, no «%2»</translation>
    </message>
    <message>
        <source>trusted-proxies: &quot;%1&quot; is not an IP address or subnet (such as 10.0.0.0/8)</source>
        <translation>trusted-proxies: «%1» no es una dirección IP ni una subred (como 10.0.0.0/8)</translation>
    </message>
    <message>
        <source>[rates] %1 cannot be used with a rate table file (%2): the file sets the prices</source>
        <translation>[rates] %1 no se puede usar con un archivo de tarifas (%2): el archivo fija los precios</translation>
    </message>
    <message>
        <source>the rate table file is not named</source>
        <translation>no se indica el archivo de tarifas</translation>
    </message>
</context>
<context>
    <name>SignalWatcher</name>
    <message>
        <source>cannot watch for signals (%1: %2)</source>
        <translation>no se pueden vigilar las señales (%1: %2)</translation>
    </message>
    <message>
        <source>signals are already being watched</source>
        <translation>las señales ya se están vigilando</translation>
    </message>
</context>
<context>
    <name>StatusPresentation</name>
    <message>
        <source>Submitted</source>
        <translation>Registrado</translation>
    </message>
    <message>
        <source>Assigned</source>
        <translation>Asignado</translation>
    </message>
    <message>
        <source>Shipped</source>
        <translation>Enviado</translation>
    </message>
    <message>
        <source>Delivered</source>
        <translation>Entregado</translation>
    </message>
    <message>
        <source>Cancelled</source>
        <translation>Cancelado</translation>
    </message>
</context>
<context>
    <name>TableCopy</name>
    <message>
        <source>an earlier copy into it did not finish, so it holds part of a history; empty it (drop and create the database again, or delete the file) and copy again</source>
        <translation>una copia anterior en ella no terminó, así que contiene parte de un historial; vacíela (elimine y vuelva a crear la base de datos, o borre el archivo) y vuelva a copiar</translation>
    </message>
    <message>
        <source>it is not empty: its table &quot;%1&quot; has rows</source>
        <translation>no está vacía: su tabla «%1» tiene filas</translation>
    </message>
    <message>
        <source>a server is running on it (%1, its lease runs until %2): stop every server that uses it first</source>
        <translation>hay un servidor funcionando en ella (%1, su concesión dura hasta %2): detenga antes todos los servidores que la usan</translation>
    </message>
    <message>
        <source>a copy into this database (from %1, begun %2) did not finish: it holds part of a history and must not be used. Empty it (drop and create the database again, or delete the file) and run &quot;waybill-server copy&quot; again into the empty database</source>
        <translation>una copia en esta base de datos (desde %1, iniciada %2) no terminó: contiene parte de un historial y no debe usarse. Vacíela (elimine y vuelva a crear la base de datos, o borre el archivo) y ejecute de nuevo «waybill-server copy» en la base de datos vacía</translation>
    </message>
</context>
<context>
    <name>TimeText</name>
    <message>
        <source>%1 %2–%3</source>
        <comment>day, start time, end time</comment>
        <translation>%1 %2–%3</translation>
    </message>
    <message>
        <source>%1 %2 – %3 %4</source>
        <comment>start day and time, end day and time</comment>
        <translation>%1 %2 – %3 %4</translation>
    </message>
</context>
<context>
    <name>TokenCommands</name>
    <message>
        <source>unknown role &quot;%1&quot;: use one of %2</source>
        <translation>rol desconocido «%1»: use uno de %2</translation>
    </message>
    <message>
        <source>a token named &quot;%1&quot; exists already (revoke it first)</source>
        <translation>ya existe un token llamado «%1» (revóquelo primero)</translation>
    </message>
    <message>
        <source>Created the token &quot;%1&quot; with the role %2. Keep it safe; it is shown only this once:</source>
        <translation>Se creó el token «%1» con el rol %2. Guárdelo en un lugar seguro; solo se muestra esta vez:</translation>
    </message>
    <message>
        <source>NAME</source>
        <translation>NOMBRE</translation>
    </message>
    <message>
        <source>ROLE</source>
        <translation>ROL</translation>
    </message>
    <message>
        <source>CREATED</source>
        <translation>CREADO</translation>
    </message>
    <message>
        <source>there is no token named &quot;%1&quot;</source>
        <translation>no hay ningún token llamado «%1»</translation>
    </message>
    <message>
        <source>Revoked the token &quot;%1&quot;.</source>
        <translation>Se revocó el token «%1».</translation>
    </message>
</context>
<context>
    <name>waybill::HttpApiServer</name>
    <message>
        <source>Cannot read the TLS certificate %1: %2</source>
        <translation>No se puede leer el certificado TLS %1: %2</translation>
    </message>
    <message>
        <source>Cannot read the TLS key %1: %2</source>
        <translation>No se puede leer la clave TLS %1: %2</translation>
    </message>
    <message>
        <source>%1 holds no PEM certificate</source>
        <translation>%1 no contiene ningún certificado PEM</translation>
    </message>
    <message>
        <source>%1 holds no PEM private key (RSA, EC or DSA, unencrypted)</source>
        <translation>%1 no contiene ninguna clave privada PEM (RSA, EC o DSA, sin cifrar)</translation>
    </message>
    <message>
        <source>The server is listening already</source>
        <translation>El servidor ya está escuchando</translation>
    </message>
    <message>
        <source>HTTPS needs both a certificate and a key</source>
        <translation>HTTPS necesita un certificado y una clave</translation>
    </message>
    <message>
        <source>Cannot listen on %1:%2: %3</source>
        <translation>No se puede escuchar en %1:%2: %3</translation>
    </message>
    <message>
        <source>Switching between HTTP and HTTPS needs a restart</source>
        <translation>Pasar de HTTP a HTTPS o al revés requiere reiniciar</translation>
    </message>
    <message>
        <source>the private key %1 does not belong to the certificate %2 (a key and a certificate from different pairs?)</source>
        <translation>la clave privada %1 no corresponde al certificado %2 (¿una clave y un certificado de pares distintos?)</translation>
    </message>
</context>
<context>
    <name>waybill::Refusal</name>
    <message>
        <source>Account %1 is not registered; open it before billing shipments to it.</source>
        <translation>La cuenta %1 no está registrada; ábrala antes de facturarle envíos.</translation>
    </message>
    <message>
        <source>Account %1 is on hold (%2); it takes no new charges until it is released.</source>
        <translation>La cuenta %1 está bloqueada (%2); no admite cargos nuevos hasta que se libere.</translation>
    </message>
    <message>
        <source>Shipment %1 would take account %2&apos;s exposure to %3, past its credit limit of %4.</source>
        <translation>El envío %1 llevaría la exposición de la cuenta %2 a %3, por encima de su límite de crédito de %4.</translation>
    </message>
    <message>
        <source>Shipment %1 would load truck %2 to %3, past its capacity of %4.</source>
        <translation>El envío %1 cargaría el camión %2 hasta %3, por encima de su capacidad de %4.</translation>
    </message>
    <message>
        <source>Shipment %1 already exists (it is %2).</source>
        <translation>El envío %1 ya existe (está %2).</translation>
    </message>
    <message>
        <source>Shipment %1 does not exist; submit it first.</source>
        <translation>El envío %1 no existe; regístrelo primero.</translation>
    </message>
    <message>
        <source>Shipment %1 is %2; a truck can be assigned only while it is Submitted or Assigned.</source>
        <translation>El envío %1 está %2; solo se le puede asignar un camión mientras está Registrado o Asignado.</translation>
    </message>
    <message>
        <source>Shipment %1 is already assigned to truck %2.</source>
        <translation>El envío %1 ya está asignado al camión %2.</translation>
    </message>
    <message>
        <source>Truck %1 is not registered; register it before assigning loads to it.</source>
        <translation>El camión %1 no está registrado; regístrelo antes de asignarle cargas.</translation>
    </message>
    <message>
        <source>Truck %1 is out of service (%2); assign another truck.</source>
        <translation>El camión %1 está fuera de servicio (%2); asigne otro camión.</translation>
    </message>
    <message>
        <source>Shipment %1 is %2; only an Assigned shipment can be shipped.</source>
        <translation>El envío %1 está %2; solo se puede enviar un envío Asignado.</translation>
    </message>
    <message>
        <source>Shipment %1 is %2; only a Shipped shipment can be delivered.</source>
        <translation>El envío %1 está %2; solo se puede entregar un envío Enviado.</translation>
    </message>
    <message>
        <source>Shipment %1 is %2; only a Submitted or Assigned shipment can be cancelled.</source>
        <translation>El envío %1 está %2; solo se puede cancelar un envío Registrado o Asignado.</translation>
    </message>
    <message>
        <source>Shipment %1 is %2; only a Submitted or Assigned shipment can be amended.</source>
        <translation>El envío %1 está %2; solo se puede corregir un envío Registrado o Asignado.</translation>
    </message>
    <message>
        <source>The amendment changes nothing: shipment %1 already has those values.</source>
        <translation>La corrección no cambia nada: el envío %1 ya tiene esos valores.</translation>
    </message>
    <message>
        <source>Shipment %1&apos;s delivery window would end before its pickup window starts.</source>
        <translation>La ventana de entrega del envío %1 terminaría antes de que empiece su ventana de recogida.</translation>
    </message>
    <message>
        <source>Shipment %1 is %2; only a Submitted, Assigned or Shipped shipment can be rescheduled.</source>
        <translation>El envío %1 está %2; solo se puede reprogramar un envío Registrado, Asignado o Enviado.</translation>
    </message>
    <message>
        <source>Shipment %1 is Shipped; its pickup window can no longer change.</source>
        <translation>El envío %1 está Enviado; su ventana de recogida ya no puede cambiar.</translation>
    </message>
    <message>
        <source>The new schedule changes nothing: shipment %1 already has those windows.</source>
        <translation>La nueva programación no cambia nada: el envío %1 ya tiene esas ventanas.</translation>
    </message>
    <message>
        <source>A %1 command does not apply to a shipment.</source>
        <translation>Una orden %1 no se aplica a un envío.</translation>
    </message>
    <message>
        <source>Truck %1 is registered already.</source>
        <translation>El camión %1 ya está registrado.</translation>
    </message>
    <message>
        <source>Truck %1 is not registered; register it first.</source>
        <translation>El camión %1 no está registrado; regístrelo primero.</translation>
    </message>
    <message>
        <source>Truck %1 is out of service already (%2).</source>
        <translation>El camión %1 ya está fuera de servicio (%2).</translation>
    </message>
    <message>
        <source>Truck %1 is not out of service.</source>
        <translation>El camión %1 no está fuera de servicio.</translation>
    </message>
    <message>
        <source>A %1 command does not apply to a truck.</source>
        <translation>Una orden %1 no se aplica a un camión.</translation>
    </message>
    <message>
        <source>Account %1 is not open; open it first.</source>
        <translation>La cuenta %1 no está abierta; ábrala primero.</translation>
    </message>
    <message>
        <source>Account %1 is not registered; open it before recording money on it.</source>
        <translation>La cuenta %1 no está registrada; ábrala antes de anotar dinero en ella.</translation>
    </message>
    <message>
        <source>A payment must be a positive amount.</source>
        <translation>Un pago debe ser un importe positivo.</translation>
    </message>
    <message>
        <source>An invoice must name its shipment.</source>
        <translation>Una factura debe indicar su envío.</translation>
    </message>
    <message>
        <source>An invoice cannot be negative.</source>
        <translation>Una factura no puede ser negativa.</translation>
    </message>
    <message>
        <source>Account %1 is open already (as %2).</source>
        <translation>La cuenta %1 ya está abierta (como %2).</translation>
    </message>
    <message>
        <source>The update changes nothing: account %1 already has those values.</source>
        <translation>La modificación no cambia nada: la cuenta %1 ya tiene esos valores.</translation>
    </message>
    <message>
        <source>Account %1 is on hold already (%2).</source>
        <translation>La cuenta %1 ya está bloqueada (%2).</translation>
    </message>
    <message>
        <source>Account %1 is not on hold.</source>
        <translation>La cuenta %1 no está bloqueada.</translation>
    </message>
    <message>
        <source>No payment on account %1 was recorded by command %2.</source>
        <translation>Ningún pago de la cuenta %1 fue anotado por la orden %2.</translation>
    </message>
    <message>
        <source>The payment recorded by command %1 is reversed already.</source>
        <translation>El pago anotado por la orden %1 ya está anulado.</translation>
    </message>
    <message>
        <source>Account %1 has no history to credit; open it first.</source>
        <translation>La cuenta %1 no tiene historial al que abonar; ábrala primero.</translation>
    </message>
    <message>
        <source>A credit must be a positive amount.</source>
        <translation>Un abono debe ser un importe positivo.</translation>
    </message>
    <message>
        <source>A %1 command does not apply to an account.</source>
        <translation>Una orden %1 no se aplica a una cuenta.</translation>
    </message>
    <message>
        <source>The rate table %1 has no accessorial &quot;%2&quot;.</source>
        <translation>La tabla de tarifas %1 no tiene el servicio adicional &quot;%2&quot;.</translation>
    </message>
    <message>
        <source>An invoice needs its number and its date.</source>
        <translation>Una factura necesita su número y su fecha.</translation>
    </message>
</context>
<context>
    <name>waybill::TokenStore</name>
    <message>
        <source>A token name must be 1 to 64 letters, digits, &apos;-&apos;, &apos;_&apos; or &apos;.&apos;</source>
        <translation>El nombre de un token debe tener de 1 a 64 letras, dígitos, &apos;-&apos;, &apos;_&apos; o &apos;.&apos;</translation>
    </message>
    <message>
        <source>A token named &quot;%1&quot; exists already</source>
        <translation>Ya existe un token llamado «%1»</translation>
    </message>
</context>
<context>
    <name>waybill::api</name>
    <message>
        <source>A valid token is required: send the header &quot;Authorization: Bearer &lt;token&gt;&quot;</source>
        <translation>Se necesita un token válido: envíe el encabezado «Authorization: Bearer &lt;token&gt;»</translation>
    </message>
    <message>
        <source>The role %1 may not do this</source>
        <translation>El rol %1 no puede hacer esto</translation>
    </message>
    <message>
        <source>No such route</source>
        <translation>No existe esa ruta</translation>
    </message>
    <message>
        <source>%1 is not allowed on this path</source>
        <translation>%1 no está permitido en esta ruta</translation>
    </message>
    <message>
        <source>/live is a WebSocket: open it with an upgrade request</source>
        <translation>/live es un WebSocket: ábralo con una solicitud de upgrade</translation>
    </message>
    <message>
        <source>The database could not answer; try again shortly</source>
        <translation>La base de datos no pudo responder; vuelva a intentarlo en breve</translation>
    </message>
    <message>
        <source>Only /live speaks WebSocket</source>
        <translation>Solo /live habla WebSocket</translation>
    </message>
    <message>
        <source>&quot;offset&quot; is too large</source>
        <translation>«offset» es demasiado grande</translation>
    </message>
    <message>
        <source>&quot;%1&quot; must be a whole number, 0 or more</source>
        <translation>«%1» debe ser un número entero, 0 o mayor</translation>
    </message>
    <message>
        <source>&quot;%1&quot; must be an ISO-8601 time such as 2026-11-27T10:00:00.000Z</source>
        <translation>«%1» debe ser una hora ISO-8601 como 2026-11-27T10:00:00.000Z</translation>
    </message>
    <message>
        <source>The request is invalid</source>
        <translation>La solicitud no es válida</translation>
    </message>
    <message numerus="yes">
        <source>%1 (and %n more problem(s))</source>
        <translation>
            <numerusform>%1 (y %n problema más)</numerusform>
            <numerusform>%1 (y %n problemas más)</numerusform>
        </translation>
    </message>
    <message>
        <source>This Idempotency-Key was used for another request</source>
        <translation>Esta Idempotency-Key se usó para otra solicitud</translation>
    </message>
    <message>
        <source>The account id in the path must be 1 to 64 letters, digits, &apos;-&apos;, &apos;_&apos; or &apos;.&apos;</source>
        <translation>El id de cuenta de la ruta debe tener de 1 a 64 letras, dígitos, &apos;-&apos;, &apos;_&apos; o &apos;.&apos;</translation>
    </message>
    <message>
        <source>The shipment id in the path must be 1 to 64 letters, digits, &apos;-&apos;, &apos;_&apos; or &apos;.&apos;</source>
        <translation>El id de envío de la ruta debe tener de 1 a 64 letras, dígitos, &apos;-&apos;, &apos;_&apos; o &apos;.&apos;</translation>
    </message>
    <message>
        <source>The Idempotency-Key header must be 1 to 255 printable ASCII characters</source>
        <translation>El encabezado Idempotency-Key debe tener de 1 a 255 caracteres ASCII imprimibles</translation>
    </message>
    <message>
        <source>The command id in the path must be 1 to 128 letters, digits, &apos;-&apos;, &apos;_&apos;, &apos;.&apos; or &apos;:&apos;</source>
        <translation>El id de orden de la ruta debe tener de 1 a 128 letras, dígitos, &apos;-&apos;, &apos;_&apos;, &apos;.&apos; o &apos;:&apos;</translation>
    </message>
    <message>
        <source>No such command</source>
        <translation>No existe esa orden</translation>
    </message>
    <message>
        <source>No such account at that time</source>
        <translation>No existía esa cuenta en ese momento</translation>
    </message>
    <message>
        <source>No such shipment at that time</source>
        <translation>No existía ese envío en ese momento</translation>
    </message>
    <message>
        <source>No such account</source>
        <translation>No existe esa cuenta</translation>
    </message>
    <message>
        <source>No such shipment</source>
        <translation>No existe ese envío</translation>
    </message>
    <message>
        <source>&quot;%1&quot; must not contain NUL or control characters</source>
        <translation>«%1» no debe contener NUL ni caracteres de control</translation>
    </message>
    <message>
        <source>&quot;status&quot; must be Submitted, Assigned, Shipped, Delivered or Cancelled</source>
        <translation>«status» debe ser Submitted, Assigned, Shipped, Delivered o Cancelled</translation>
    </message>
    <message>
        <source>&quot;sort&quot; must be id, status, billToAccountId, assignedToTruck or createdTimestamp</source>
        <translation>«sort» debe ser id, status, billToAccountId, assignedToTruck o createdTimestamp</translation>
    </message>
    <message>
        <source>&quot;order&quot; must be asc or desc</source>
        <translation>«order» debe ser asc o desc</translation>
    </message>
    <message>
        <source>The truck id in the path must be 1 to 64 letters, digits, &apos;-&apos;, &apos;_&apos; or &apos;.&apos;</source>
        <translation>El id de camión de la ruta debe tener de 1 a 64 letras, dígitos, &apos;-&apos;, &apos;_&apos; o &apos;.&apos;</translation>
    </message>
    <message>
        <source>The If-Match header must be the version of the stream, as its ETag gives it (&quot;3&quot;)</source>
        <translation>El encabezado If-Match debe ser la versión del flujo, tal como la da su ETag («3»)</translation>
    </message>
    <message>
        <source>No such truck</source>
        <translation>No existe ese camión</translation>
    </message>
    <message>
        <source>The token was revoked during the export</source>
        <translation>El token se revocó durante la exportación</translation>
    </message>
    <message>
        <source>The server is stopping; try again shortly</source>
        <translation>El servidor se está deteniendo; vuelva a intentarlo en breve</translation>
    </message>
    <message>
        <source>This history is too long to replay as of a time (more than %1 events)</source>
        <translation>Este historial es demasiado largo para reconstruirlo a una fecha (más de %1 eventos)</translation>
    </message>
    <message>
        <source>The command was not recorded (the database could not answer); it may be sent again</source>
        <translation>La orden no se registró (la base de datos no pudo responder); puede enviarse de nuevo</translation>
    </message>
    <message>
        <source>The server is shutting down</source>
        <translation>El servidor se está deteniendo</translation>
    </message>
    <message>
        <source>The database cannot be reached</source>
        <translation>No se puede acceder a la base de datos</translation>
    </message>
    <message>
        <source>The API document is missing from this build</source>
        <translation>Esta compilación no incluye el documento de la API</translation>
    </message>
    <message>
        <source>&quot;late&quot; must be true or false</source>
        <translation>&quot;late&quot; debe ser true o false</translation>
    </message>
    <message>
        <source>&quot;windowTo&quot; must be later than &quot;windowFrom&quot;</source>
        <translation>&quot;windowTo&quot; debe ser posterior a &quot;windowFrom&quot;</translation>
    </message>
    <message>
        <source>&quot;position&quot; is required: the position of an event in the log, 1 or more</source>
        <translation>falta &quot;position&quot;: la posición de un evento en el registro, 1 o más</translation>
    </message>
    <message>
        <source>No event has that position</source>
        <translation>Ningún evento tiene esa posición</translation>
    </message>
    <message>
        <source>The Correlation-Id header must be 1 to 64 letters, digits, &apos;-&apos;, &apos;_&apos; or &apos;.&apos;</source>
        <translation>El encabezado Correlation-Id debe tener de 1 a 64 letras, dígitos, &apos;-&apos;, &apos;_&apos; o &apos;.&apos;</translation>
    </message>
    <message>
        <source>&quot;to&quot; must be later than &quot;from&quot;</source>
        <translation>&quot;to&quot; debe ser posterior a &quot;from&quot;</translation>
    </message>
    <message>
        <source>A report covers at most %1 weeks; ask for a shorter period</source>
        <translation>Un informe abarca como mucho %1 semanas; pida un periodo más corto</translation>
    </message>
</context>
<context>
    <name>waybill::app::AccountEditor</name>
    <message>
        <source>Billing address</source>
        <translation>Dirección de facturación</translation>
    </message>
    <message>
        <source>Open an account</source>
        <translation>Abrir una cuenta</translation>
    </message>
    <message>
        <source>Edit account %1</source>
        <translation>Editar la cuenta %1</translation>
    </message>
    <message>
        <source>Open a new bill-to account. Shipments billed to it are refused while it is on hold or past its credit limit.</source>
        <translation>Abra una nueva cuenta de facturación. Los envíos facturados a ella se rechazan mientras esté bloqueada o por encima de su límite de crédito.</translation>
    </message>
    <message>
        <source>Account %1 is known from its shipments and payments but was never opened. Opening it gives it a record: name, address, terms and limit.</source>
        <translation>La cuenta %1 se conoce por sus envíos y pagos, pero nunca se abrió. Al abrirla obtiene un registro: nombre, dirección, plazo y límite.</translation>
    </message>
    <message>
        <source>You are editing version %1 of account %2. Only what you change is sent.</source>
        <translation>Está editando la versión %1 de la cuenta %2. Solo se envía lo que cambie.</translation>
    </message>
    <message>
        <source>e.g. ACME-001</source>
        <translation>p. ej. ACME-001</translation>
    </message>
    <message>
        <source>Account id</source>
        <translation>Id. de cuenta</translation>
    </message>
    <message>
        <source>Account &amp;id:</source>
        <translation>&amp;Id. de cuenta:</translation>
    </message>
    <message>
        <source>e.g. Acme Industrial Supply</source>
        <translation>p. ej. Suministros Industriales Acme</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Nombre</translation>
    </message>
    <message>
        <source>&amp;Name:</source>
        <translation>&amp;Nombre:</translation>
    </message>
    <message>
        <source> days</source>
        <translation> días</translation>
    </message>
    <message>
        <source>Payment terms</source>
        <translation>Plazo de pago</translation>
    </message>
    <message>
        <source>Payment &amp;terms:</source>
        <translation>&amp;Plazo de pago:</translation>
    </message>
    <message>
        <source>empty: no limit</source>
        <translation>vacío: sin límite</translation>
    </message>
    <message>
        <source>Credit limit</source>
        <translation>Límite de crédito</translation>
    </message>
    <message>
        <source>Credit &amp;limit ($):</source>
        <translation>&amp;Límite de crédito ($):</translation>
    </message>
    <message>
        <source>Exposure against the credit limit</source>
        <translation>Exposición frente al límite de crédito</translation>
    </message>
    <message>
        <source>Exposure:</source>
        <translation>Exposición:</translation>
    </message>
    <message>
        <source>Open account</source>
        <translation>Abrir cuenta</translation>
    </message>
    <message>
        <source>Save changes</source>
        <translation>Guardar cambios</translation>
    </message>
    <message>
        <source>Enter the limit as an amount, e.g. 5000 or 5000.00.</source>
        <translation>Escriba el límite como importe, p. ej. 5000 o 5000,00.</translation>
    </message>
    <message>
        <source>%1 owed and not yet invoiced; no limit.</source>
        <translation>%1 adeudado y pendiente de facturar; sin límite.</translation>
    </message>
    <message>
        <source>%1 of %2: past the limit. New shipments billed to this account are refused.</source>
        <translation>%1 de %2: por encima del límite. Se rechazan los nuevos envíos facturados a esta cuenta.</translation>
    </message>
    <message>
        <source>%1 of %2 (%3 left).</source>
        <translation>%1 de %2 (quedan %3).</translation>
    </message>
    <message>
        <source>An account id is 1 to 64 letters, digits, &apos;-&apos;, &apos;_&apos; or &apos;.&apos;.</source>
        <translation>Un id. de cuenta tiene de 1 a 64 letras, dígitos, &apos;-&apos;, &apos;_&apos; o &apos;.&apos;.</translation>
    </message>
    <message>
        <source>Enter the credit limit as an amount with at most two decimals, or leave it empty for no limit.</source>
        <translation>Escriba el límite de crédito como importe con dos decimales como máximo, o déjelo vacío para no tener límite.</translation>
    </message>
    <message>
        <source>Nothing is changed.</source>
        <translation>No ha cambiado nada.</translation>
    </message>
    <message>
        <source>Enter the account&apos;s name.</source>
        <translation>Escriba el nombre de la cuenta.</translation>
    </message>
    <message>
        <source>Check the billing address.</source>
        <translation>Revise la dirección de facturación.</translation>
    </message>
</context>
<context>
    <name>waybill::app::AccountTableModel</name>
    <message>
        <source>The account owes this amount</source>
        <translation>La cuenta debe este importe</translation>
    </message>
    <message>
        <source>Payments exceed invoices by this amount</source>
        <translation>Los pagos superan a las facturas en este importe</translation>
    </message>
    <message>
        <source>Account</source>
        <translation>Cuenta</translation>
    </message>
    <message>
        <source>Balance</source>
        <translation>Saldo</translation>
    </message>
    <message>
        <source>Invoiced</source>
        <translation>Facturado</translation>
    </message>
    <message>
        <source>Paid</source>
        <translation>Pagado</translation>
    </message>
    <message>
        <source>Invoices</source>
        <translation>Facturas</translation>
    </message>
    <message>
        <source>Payments</source>
        <translation>Pagos</translation>
    </message>
    <message>
        <source>Last activity</source>
        <translation>Último movimiento</translation>
    </message>
    <message>
        <source>Never opened: known only from shipments and payments</source>
        <translation>Nunca abierta: solo se conoce por envíos y pagos</translation>
    </message>
    <message>
        <source>Owed plus shipments not yet invoiced: %1 of a %2 limit</source>
        <translation>Adeudado más envíos sin facturar: %1 de un límite de %2</translation>
    </message>
    <message>
        <source>Owed plus shipments not yet invoiced: %1 (no limit)</source>
        <translation>Adeudado más envíos sin facturar: %1 (sin límite)</translation>
    </message>
    <message>
        <source>On hold: %1</source>
        <translation>Bloqueada: %1</translation>
    </message>
    <message>
        <source>No limit</source>
        <translation>Sin límite</translation>
    </message>
    <message numerus="yes">
        <source>%n day(s)</source>
        <translation>
            <numerusform>%n día</numerusform>
            <numerusform>%n días</numerusform>
        </translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Nombre</translation>
    </message>
    <message>
        <source>Exposure</source>
        <translation>Exposición</translation>
    </message>
    <message>
        <source>Credit limit</source>
        <translation>Límite</translation>
    </message>
    <message>
        <source>Terms</source>
        <translation>Plazo</translation>
    </message>
    <message>
        <source>Hold</source>
        <translation>Bloqueo</translation>
    </message>
</context>
<context>
    <name>waybill::app::AccountsView</name>
    <message>
        <source>&amp;Owing only</source>
        <translation>Solo &amp;deudoras</translation>
    </message>
    <message>
        <source>Find an account</source>
        <translation>Buscar una cuenta</translation>
    </message>
    <message>
        <source>Show only the accounts whose invoices exceed their payments</source>
        <translation>Muestra solo las cuentas cuyas facturas superan a sus pagos</translation>
    </message>
    <message>
        <source>Post &amp;payment…</source>
        <translation>Registrar &amp;pago…</translation>
    </message>
    <message>
        <source>Accounts</source>
        <translation>Cuentas</translation>
    </message>
    <message>
        <source>Statement</source>
        <translation>Estado de cuenta</translation>
    </message>
    <message>
        <source>Select an account first.</source>
        <translation>Primero seleccione una cuenta.</translation>
    </message>
    <message>
        <source>Post a payment received from account %1</source>
        <translation>Registrar un pago recibido de la cuenta %1</translation>
    </message>
    <message>
        <source>Select an account to see its statement.</source>
        <translation>Seleccione una cuenta para ver su estado de cuenta.</translation>
    </message>
    <message>
        <source>Statement of %1: owes %2</source>
        <translation>Estado de cuenta de %1: debe %2</translation>
    </message>
    <message>
        <source>Statement of %1: balance %2</source>
        <translation>Estado de cuenta de %1: saldo %2</translation>
    </message>
    <message>
        <source>Post a payment</source>
        <translation>Registrar un pago</translation>
    </message>
    <message>
        <source>Record money received from account %1. It is added to the account&apos;s balance.</source>
        <translation>Registre el dinero recibido de la cuenta %1. Se suma al saldo de la cuenta.</translation>
    </message>
    <message>
        <source>&amp;Amount ($):</source>
        <translation>&amp;Importe ($):</translation>
    </message>
    <message>
        <source>e.g. 120.50</source>
        <translation>p. ej. 120,50</translation>
    </message>
    <message>
        <source>Post payment</source>
        <translation>Registrar pago</translation>
    </message>
    <message>
        <source>&amp;Open account…</source>
        <translation>&amp;Abrir cuenta…</translation>
    </message>
    <message>
        <source>&amp;Edit account…</source>
        <translation>&amp;Editar cuenta…</translation>
    </message>
    <message>
        <source>Put on &amp;hold…</source>
        <translation>&amp;Bloquear…</translation>
    </message>
    <message>
        <source>&amp;Release hold</source>
        <translation>&amp;Desbloquear</translation>
    </message>
    <message>
        <source>&amp;Credit memo…</source>
        <translation>&amp;Nota de crédito…</translation>
    </message>
    <message>
        <source>Re&amp;verse payment…</source>
        <translation>A&amp;nular pago…</translation>
    </message>
    <message>
        <source>Never opened: known only from shipments and payments</source>
        <translation>Nunca abierta: solo se conoce por envíos y pagos</translation>
    </message>
    <message numerus="yes">
        <source>terms %n day(s)</source>
        <translation>
            <numerusform>plazo %n día</numerusform>
            <numerusform>plazo %n días</numerusform>
        </translation>
    </message>
    <message>
        <source>exposure %1 of a %2 limit</source>
        <translation>exposición %1 de un límite de %2</translation>
    </message>
    <message>
        <source>exposure %1, no limit</source>
        <translation>exposición %1, sin límite</translation>
    </message>
    <message>
        <source>ON HOLD: %1</source>
        <translation>BLOQUEADA: %1</translation>
    </message>
    <message>
        <source>version %1</source>
        <translation>versión %1</translation>
    </message>
    <message>
        <source>Open a new account, or give a known one its record</source>
        <translation>Abrir una cuenta nueva, o dar su registro a una ya conocida</translation>
    </message>
    <message>
        <source>Change the name, address, terms or limit of account %1</source>
        <translation>Cambiar el nombre, la dirección, el plazo o el límite de la cuenta %1</translation>
    </message>
    <message>
        <source>Open account %1: give it a name, address, terms and limit</source>
        <translation>Abrir la cuenta %1: darle nombre, dirección, plazo y límite</translation>
    </message>
    <message>
        <source>&amp;Open this account…</source>
        <translation>&amp;Abrir esta cuenta…</translation>
    </message>
    <message>
        <source>Refuse new shipments billed to account %1 until released</source>
        <translation>Rechazar los nuevos envíos facturados a la cuenta %1 hasta desbloquearla</translation>
    </message>
    <message>
        <source>Account %1 was never opened; open it first.</source>
        <translation>La cuenta %1 nunca se abrió; ábrala primero.</translation>
    </message>
    <message>
        <source>Account %1 is on hold already.</source>
        <translation>La cuenta %1 ya está bloqueada.</translation>
    </message>
    <message>
        <source>Accept shipments billed to account %1 again</source>
        <translation>Volver a aceptar envíos facturados a la cuenta %1</translation>
    </message>
    <message>
        <source>Account %1 is not on hold.</source>
        <translation>La cuenta %1 no está bloqueada.</translation>
    </message>
    <message>
        <source>Credit account %1, saying why</source>
        <translation>Abonar a la cuenta %1, indicando el motivo</translation>
    </message>
    <message>
        <source>Reverse the payment selected on the statement</source>
        <translation>Anular el pago seleccionado en el extracto</translation>
    </message>
    <message>
        <source>Select a payment on the statement that is not reversed yet.</source>
        <translation>Seleccione en el extracto un pago que aún no esté anulado.</translation>
    </message>
    <message>
        <source>Put an account on hold</source>
        <translation>Bloquear una cuenta</translation>
    </message>
    <message>
        <source>While account %1 is on hold, new shipments billed to it are refused and amendments that bill it more are too.</source>
        <translation>Mientras la cuenta %1 esté bloqueada, se rechazan los nuevos envíos facturados a ella y también las correcciones que le facturen más.</translation>
    </message>
    <message>
        <source>&amp;Reason:</source>
        <translation>&amp;Motivo:</translation>
    </message>
    <message>
        <source>e.g. Invoices 60 days overdue</source>
        <translation>p. ej. Facturas vencidas hace 60 días</translation>
    </message>
    <message>
        <source>Put on hold</source>
        <translation>Bloquear</translation>
    </message>
    <message>
        <source>Credit memo</source>
        <translation>Nota de crédito</translation>
    </message>
    <message>
        <source>Credit account %1: the amount is taken off what it owes, first from the shipment&apos;s invoice when you name one.</source>
        <translation>Abonar a la cuenta %1: el importe se descuenta de lo que debe, primero de la factura del envío si indica uno.</translation>
    </message>
    <message>
        <source>For &amp;shipment:</source>
        <translation>Por el &amp;envío:</translation>
    </message>
    <message>
        <source>optional, e.g. S-1001</source>
        <translation>opcional, p. ej. S-1001</translation>
    </message>
    <message>
        <source>e.g. 45.00</source>
        <translation>p. ej. 45,00</translation>
    </message>
    <message>
        <source>e.g. Damaged on delivery</source>
        <translation>p. ej. Dañado en la entrega</translation>
    </message>
    <message>
        <source>Credit</source>
        <translation>Abonar</translation>
    </message>
    <message>
        <source>Reverse a payment</source>
        <translation>Anular un pago</translation>
    </message>
    <message>
        <source>Reverse the payment of %1 recorded on %2 on account %3. The payment stays in the history; the reversal takes it off the balance.</source>
        <translation>Anular el pago de %1 registrado el %2 en la cuenta %3. El pago queda en el historial; la anulación lo quita del saldo.</translation>
    </message>
    <message>
        <source>e.g. Keyed as $1,000 instead of $100</source>
        <translation>p. ej. Se tecleó 1.000 $ en vez de 100 $</translation>
    </message>
    <message>
        <source>Reverse payment</source>
        <translation>Anular pago</translation>
    </message>
    <message>
        <source>Print &amp;invoice…</source>
        <translation>Imprimir &amp;factura…</translation>
    </message>
    <message>
        <source>Account &amp;statement…</source>
        <translation>E&amp;stado de cuenta…</translation>
    </message>
    <message>
        <source>Preview, print or save as PDF invoice %1</source>
        <translation>Vista previa, impresión o PDF de la factura %1</translation>
    </message>
    <message>
        <source>Select an invoice on the statement.</source>
        <translation>Seleccione una factura en el estado de cuenta.</translation>
    </message>
    <message>
        <source>Preview, print or save as PDF the statement of account %1 for a period</source>
        <translation>Vista previa, impresión o PDF del estado de la cuenta %1 para un periodo</translation>
    </message>
</context>
<context>
    <name>waybill::app::AddressForm</name>
    <message>
        <source>Name:</source>
        <translation>Nombre:</translation>
    </message>
    <message>
        <source>Street:</source>
        <translation>Calle:</translation>
    </message>
    <message>
        <source>Line 2:</source>
        <translation>Línea 2:</translation>
    </message>
    <message>
        <source>City:</source>
        <translation>Ciudad:</translation>
    </message>
    <message>
        <source>State:</source>
        <translation>Estado:</translation>
    </message>
    <message>
        <source>ZIP code:</source>
        <translation>Código postal:</translation>
    </message>
    <message>
        <source>optional</source>
        <translation>opcional</translation>
    </message>
    <message>
        <source>two letters, e.g. TX</source>
        <translation>dos letras, p. ej. TX</translation>
    </message>
    <message>
        <source>five digits, e.g. 78701</source>
        <translation>cinco dígitos, p. ej. 78701</translation>
    </message>
    <message>
        <source>%1 %2</source>
        <extracomment>Accessible name of an address field: &quot;Ship from: City:&quot;</extracomment>
        <translation>%1 %2</translation>
    </message>
</context>
<context>
    <name>waybill::app::AmendDialog</name>
    <message>
        <source>Ship from</source>
        <translation>Origen</translation>
    </message>
    <message>
        <source>Ship to</source>
        <translation>Destino</translation>
    </message>
    <message>
        <source>Amend shipment %1</source>
        <translation>Corregir el envío %1</translation>
    </message>
    <message>
        <source>Correct shipment %1 (version %2). The history keeps what it was and your reason; only what you change is sent.</source>
        <translation>Corrija el envío %1 (versión %2). El historial conserva cómo era y su motivo; solo se envía lo que cambie.</translation>
    </message>
    <message>
        <source>Weight in pounds</source>
        <translation>Peso en libras</translation>
    </message>
    <message>
        <source>&amp;Weight (lb):</source>
        <translation>&amp;Peso (lb):</translation>
    </message>
    <message>
        <source>Bill to account</source>
        <translation>Cuenta de facturación</translation>
    </message>
    <message>
        <source>&amp;Bill to:</source>
        <translation>&amp;Facturar a:</translation>
    </message>
    <message>
        <source>e.g. The customer gave the wrong weight</source>
        <translation>p. ej. El cliente dio un peso equivocado</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>Motivo</translation>
    </message>
    <message>
        <source>&amp;Reason:</source>
        <translation>&amp;Motivo:</translation>
    </message>
    <message>
        <source>Amend</source>
        <translation>Corregir</translation>
    </message>
    <message>
        <source>Enter the weight in pounds, from 1 to 80,000.</source>
        <translation>Escriba el peso en libras, de 1 a 80.000.</translation>
    </message>
    <message>
        <source>Cost now %1. %2</source>
        <translation>Coste actual %1. %2</translation>
    </message>
    <message>
        <source>Cost stays %1, billed to %2 instead of %3: that account&apos;s hold and credit limit are checked.</source>
        <translation>El coste sigue en %1, facturado a %2 en vez de %3: se comprueban el bloqueo y el límite de crédito de esa cuenta.</translation>
    </message>
    <message>
        <source>Cost stays %1.</source>
        <translation>El coste sigue en %1.</translation>
    </message>
    <message>
        <source>Cost now %1; after the amendment %2 (%3%4).</source>
        <translation>Coste actual %1; tras la corrección %2 (%3%4).</translation>
    </message>
    <message>
        <source>Estimate from the standard rate.</source>
        <translation>Estimación con la tarifa estándar.</translation>
    </message>
    <message>
        <source>Billed to %1 instead of %2.</source>
        <translation>Facturado a %1 en vez de %2.</translation>
    </message>
    <message>
        <source>Nothing is changed.</source>
        <translation>No ha cambiado nada.</translation>
    </message>
    <message>
        <source>Say why the shipment is amended: the history keeps the reason.</source>
        <translation>Indique por qué se corrige el envío: el historial conserva el motivo.</translation>
    </message>
    <message>
        <source>An account id is 1 to 64 letters, digits, &apos;-&apos;, &apos;_&apos; or &apos;.&apos;.</source>
        <translation>Un id. de cuenta tiene de 1 a 64 letras, dígitos, &apos;-&apos;, &apos;_&apos; o &apos;.&apos;.</translation>
    </message>
    <message>
        <source>&amp;Pickup:</source>
        <translation>&amp;Recogida:</translation>
    </message>
    <message>
        <source>D&amp;elivery:</source>
        <translation>&amp;Entrega:</translation>
    </message>
    <message>
        <source>A window cannot be removed; change its times instead.</source>
        <translation>Una ventana no se puede quitar; cambie sus horas.</translation>
    </message>
    <message>
        <source>e.g. liftgate, residential (optional)</source>
        <translation>p. ej. liftgate, residential (opcional)</translation>
    </message>
    <message>
        <source>Accessorial charges</source>
        <translation>Cargos por servicios adicionales</translation>
    </message>
    <message>
        <source>Acce&amp;ssorials:</source>
        <translation>&amp;Servicios adicionales:</translation>
    </message>
    <message>
        <source>Cost now %1; the new price is being quoted…</source>
        <translation>Costo actual %1; se está cotizando el nuevo precio…</translation>
    </message>
    <message>
        <source>Cost now %1. The new price is quoted once the weight and both states are right.</source>
        <translation>Costo actual %1. El nuevo precio se cotiza cuando el peso y ambos estados son correctos.</translation>
    </message>
    <message>
        <source>Cost now %1. No price after the amendment: %2</source>
        <translation>Costo actual %1. Sin precio tras la corrección: %2</translation>
    </message>
</context>
<context>
    <name>waybill::app::AppController</name>
    <message>
        <source>Connecting to %1…</source>
        <translation>Conectando con %1…</translation>
    </message>
    <message>
        <source>This computer</source>
        <translation>Este equipo</translation>
    </message>
    <message>
        <source>Opening this computer&apos;s Waybill data…</source>
        <translation>Abriendo los datos de Waybill de este equipo…</translation>
    </message>
    <message>
        <source>Demo data on this computer</source>
        <translation>Datos de demostración en este equipo</translation>
    </message>
</context>
<context>
    <name>waybill::app::AppPaths</name>
    <message>
        <source>The data folder %1 could not be created.</source>
        <translation>No se pudo crear la carpeta de datos %1.</translation>
    </message>
    <message>
        <source>The data folder %1 could not be made private.</source>
        <translation>No se pudo hacer privada la carpeta de datos %1.</translation>
    </message>
    <message>
        <source>The database %1 could not be created: %2</source>
        <translation>No se pudo crear la base de datos %1: %2</translation>
    </message>
    <message>
        <source>The database file %1 could not be made private.</source>
        <translation>No se pudo hacer privado el archivo de base de datos %1.</translation>
    </message>
</context>
<context>
    <name>waybill::app::AuditView</name>
    <message>
        <source>Cancel</source>
        <translation>Cancelar</translation>
    </message>
    <message>
        <source>Event type filter</source>
        <translation>Filtro por tipo de evento</translation>
    </message>
    <message>
        <source>All events</source>
        <translation>Todos los eventos</translation>
    </message>
    <message>
        <source>Stream, e.g. shipment-S-1001</source>
        <translation>Flujo, p. ej. shipment-S-1001</translation>
    </message>
    <message>
        <source>Stream filter</source>
        <translation>Filtro por flujo</translation>
    </message>
    <message>
        <source>User</source>
        <translation>Usuario</translation>
    </message>
    <message>
        <source>User filter</source>
        <translation>Filtro por usuario</translation>
    </message>
    <message>
        <source>Text in the data</source>
        <translation>Texto en los datos</translation>
    </message>
    <message>
        <source>Text filter</source>
        <translation>Filtro por texto</translation>
    </message>
    <message>
        <source>&amp;Event:</source>
        <translation>&amp;Evento:</translation>
    </message>
    <message>
        <source>&amp;Export CSV…</source>
        <translation>&amp;Exportar CSV…</translation>
    </message>
    <message>
        <source>&amp;Verify history</source>
        <translation>&amp;Verificar el historial</translation>
    </message>
    <message>
        <source>Check that no event was altered or removed (the hash chain)</source>
        <translation>Comprueba que ningún evento fue alterado ni eliminado (la cadena de hashes)</translation>
    </message>
    <message>
        <source>Event log</source>
        <translation>Registro de eventos</translation>
    </message>
    <message>
        <source>Progress</source>
        <translation>Progreso</translation>
    </message>
    <message numerus="yes">
        <source>Exporting: %Ln event(s) written…</source>
        <translation>
            <numerusform>Exportando: %Ln evento escrito…</numerusform>
            <numerusform>Exportando: %Ln eventos escritos…</numerusform>
        </translation>
    </message>
    <message>
        <source>Export the event log</source>
        <translation>Exportar el registro de eventos</translation>
    </message>
    <message>
        <source>CSV files (*.csv)</source>
        <translation>Archivos CSV (*.csv)</translation>
    </message>
    <message>
        <source>Exporting…</source>
        <translation>Exportando…</translation>
    </message>
    <message>
        <source>Verifying the history…</source>
        <translation>Verificando el historial…</translation>
    </message>
    <message>
        <source>Verification cancelled.</source>
        <translation>Verificación cancelada.</translation>
    </message>
    <message numerus="yes">
        <source>The history is intact: %Ln event(s) checked, none altered or removed.</source>
        <translation>
            <numerusform>El historial está intacto: %Ln evento comprobado, ninguno alterado ni eliminado.</numerusform>
            <numerusform>El historial está intacto: %Ln eventos comprobados, ninguno alterado ni eliminado.</numerusform>
        </translation>
    </message>
    <message>
        <source>The history was altered: the first bad event is at position %1.</source>
        <translation>El historial fue alterado: el primer evento incorrecto está en la posición %1.</translation>
    </message>
    <message>
        <source>The history was altered: the first bad event is at position %1 (%2).</source>
        <translation>El historial fue alterado: el primer evento incorrecto está en la posición %1 (%2).</translation>
    </message>
    <message>
        <source>Save the event log (or the stream in the Stream filter), within the export range, as CSV for a spreadsheet (Ctrl+E)</source>
        <translation>Guarda el registro de eventos (o el flujo del filtro Flujo), dentro del intervalo de exportación, como CSV para una hoja de cálculo (Ctrl+E)</translation>
    </message>
    <message>
        <source>Export range:</source>
        <translation>Intervalo de exportación:</translation>
    </message>
</context>
<context>
    <name>waybill::app::CertificatePrompt</name>
    <message>
        <source>The server&apos;s certificate has changed</source>
        <translation>El certificado del servidor ha cambiado</translation>
    </message>
    <message>
        <source>WARNING: the certificate of %1 is not the one you accepted before.</source>
        <translation>ATENCIÓN: el certificado de %1 no es el que usted aceptó antes.</translation>
    </message>
    <message>
        <source>Someone may be intercepting the connection, or the administrator replaced the certificate. Ask your administrator before going on, and compare the new SHA-256 fingerprint with theirs.

Accepted before:
%1

Shown now (%2):
%3</source>
        <translation>Alguien podría estar interceptando la conexión, o el administrador sustituyó el certificado. Consulte a su administrador antes de continuar y compare la nueva huella SHA-256 con la suya.

Aceptado antes:
%1

Mostrado ahora (%2):
%3</translation>
    </message>
    <message>
        <source>Trust the New Certificate</source>
        <translation>Confiar en el certificado nuevo</translation>
    </message>
    <message>
        <source>Unknown server certificate</source>
        <translation>Certificado de servidor desconocido</translation>
    </message>
    <message>
        <source>The certificate of %1 is not signed by an authority this computer trusts.</source>
        <translation>El certificado de %1 no está firmado por una autoridad en la que este equipo confíe.</translation>
    </message>
    <message>
        <source>If your administrator gave you its SHA-256 fingerprint, compare it with this one before you trust it. Waybill remembers it and warns you if it ever changes.

Certificate: %1
SHA-256 fingerprint:
%2</source>
        <translation>Si su administrador le dio su huella SHA-256, compárela con esta antes de confiar en él. Waybill lo recuerda y le avisa si alguna vez cambia.

Certificado: %1
Huella SHA-256:
%2</translation>
    </message>
    <message>
        <source>Trust This Certificate</source>
        <translation>Confiar en este certificado</translation>
    </message>
</context>
<context>
    <name>waybill::app::CommandDialog</name>
    <message>
        <source>A truck id is 1 to 64 letters, digits, &apos;-&apos;, &apos;_&apos; or &apos;.&apos;.</source>
        <translation>El identificador de un camión tiene de 1 a 64 letras, dígitos, &apos;-&apos;, &apos;_&apos; o &apos;.&apos;.</translation>
    </message>
    <message>
        <source>The reason is too long.</source>
        <translation>El motivo es demasiado largo.</translation>
    </message>
    <message>
        <source>The name is too long.</source>
        <translation>El nombre es demasiado largo.</translation>
    </message>
    <message>
        <source>Enter an amount greater than 0 with at most two decimals, e.g. 120.50.</source>
        <translation>Escriba un importe mayor que 0 con dos decimales como máximo, p. ej. 120,50.</translation>
    </message>
    <message>
        <source>An id is 1 to 64 letters, digits, &apos;-&apos;, &apos;_&apos; or &apos;.&apos;.</source>
        <translation>Un id. tiene de 1 a 64 letras, dígitos, &apos;-&apos;, &apos;_&apos; o &apos;.&apos;.</translation>
    </message>
    <message>
        <source>A shipment id is 1 to 64 letters, digits, &apos;-&apos;, &apos;_&apos; or &apos;.&apos;.</source>
        <translation>Un id. de envío tiene de 1 a 64 letras, dígitos, &apos;-&apos;, &apos;_&apos; o &apos;.&apos;.</translation>
    </message>
    <message>
        <source>Say why.</source>
        <translation>Indique el motivo.</translation>
    </message>
    <message>
        <source>Enter a whole number of pounds from 1 to 80,000.</source>
        <translation>Escriba un número entero de libras de 1 a 80.000.</translation>
    </message>
</context>
<context>
    <name>waybill::app::CommandForm</name>
    <message>
        <source>Sending…</source>
        <translation>Enviando…</translation>
    </message>
    <message>
        <source>%1 was refused: %2</source>
        <translation>%1 fue rechazado: %2</translation>
    </message>
    <message>
        <source>%1 Sending again is safe: it will not be done twice.</source>
        <translation>%1 Puede enviarlo de nuevo sin riesgo: no se hará dos veces.</translation>
    </message>
</context>
<context>
    <name>waybill::app::CommandSender</name>
    <message>
        <source>%1: done.</source>
        <translation>%1: hecho.</translation>
    </message>
    <message>
        <source>%1: recorded. Waybill tells you if it cannot be carried out.</source>
        <translation>%1: registrado. Waybill le avisará si no se puede llevar a cabo.</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1: %2</translation>
    </message>
</context>
<context>
    <name>waybill::app::ConnectionDialog</name>
    <message>
        <source>This &amp;computer (Waybill keeps the data in your user folder)</source>
        <translation>Este &amp;equipo (Waybill guarda los datos en su carpeta de usuario)</translation>
    </message>
    <message>
        <source>A Waybill &amp;server on the network</source>
        <translation>Un &amp;servidor de Waybill en la red</translation>
    </message>
    <message>
        <source>Connect to this server when Waybill &amp;starts</source>
        <translation>Conectar con este servidor al &amp;iniciar Waybill</translation>
    </message>
    <message>
        <source>&amp;Test connection</source>
        <translation>&amp;Probar la conexión</translation>
    </message>
    <message>
        <source>Connect</source>
        <translation>Conectar</translation>
    </message>
    <message>
        <source>e.g. https://waybill.example.com:8080</source>
        <translation>p. ej. https://waybill.example.com:8080</translation>
    </message>
    <message>
        <source>Server address</source>
        <translation>Dirección del servidor</translation>
    </message>
    <message>
        <source>Access token</source>
        <translation>Token de acceso</translation>
    </message>
    <message>
        <source>Given to you by your administrator</source>
        <translation>Se lo entrega su administrador</translation>
    </message>
    <message>
        <source>Server &amp;address:</source>
        <translation>&amp;Dirección del servidor:</translation>
    </message>
    <message>
        <source>Access &amp;token:</source>
        <translation>&amp;Token de acceso:</translation>
    </message>
    <message>
        <source>C&amp;onnect</source>
        <translation>C&amp;onectar</translation>
    </message>
    <message>
        <source>Enter the server&apos;s address and your access token.</source>
        <translation>Escriba la dirección del servidor y su token de acceso.</translation>
    </message>
    <message>
        <source>Connecting…</source>
        <translation>Conectando…</translation>
    </message>
    <message>
        <source>Connected as %1 (%2).</source>
        <translation>Conectado como %1 (%2).</translation>
    </message>
    <message>
        <source>Connected; the server accepted the token.</source>
        <translation>Conectado; el servidor aceptó el token.</translation>
    </message>
</context>
<context>
    <name>waybill::app::CsvDownload</name>
    <message>
        <source>%1 cannot be written: %2</source>
        <translation>No se puede escribir %1: %2</translation>
    </message>
    <message>
        <source>Export cancelled; no file was written.</source>
        <translation>Exportación cancelada; no se escribió ningún archivo.</translation>
    </message>
    <message>
        <source>Writing %1 failed: %2</source>
        <translation>Falló la escritura de %1: %2</translation>
    </message>
    <message>
        <source>The server sent no export.</source>
        <translation>El servidor no envió la exportación.</translation>
    </message>
    <message numerus="yes">
        <source>%Ln event(s) exported to %1.</source>
        <translation>
            <numerusform>%Ln evento exportado a %1.</numerusform>
            <numerusform>%Ln eventos exportados a %1.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>waybill::app::DemoData</name>
    <message>
        <source>%1 failed: %2</source>
        <translation>%1 falló: %2</translation>
    </message>
</context>
<context>
    <name>waybill::app::DispatchPanel</name>
    <message>
        <source>All trucks</source>
        <translation>Todos los camiones</translation>
    </message>
    <message>
        <source>Available</source>
        <translation>Disponible</translation>
    </message>
    <message>
        <source>Occupied</source>
        <translation>Ocupado</translation>
    </message>
    <message>
        <source>Show trucks</source>
        <translation>Mostrar camiones</translation>
    </message>
    <message>
        <source>Find a truck or shipment</source>
        <translation>Buscar un camión o envío</translation>
    </message>
    <message>
        <source>Find a truck</source>
        <translation>Buscar un camión</translation>
    </message>
    <message>
        <source>Trucks</source>
        <translation>Camiones</translation>
    </message>
    <message>
        <source>Double-click a truck to see its shipments</source>
        <translation>Haga doble clic en un camión para ver sus envíos</translation>
    </message>
    <message>
        <source>&amp;Trucks:</source>
        <translation>&amp;Camiones:</translation>
    </message>
    <message>
        <source>Your role does not dispatch; this view is for reading.</source>
        <translation>Su rol no despacha; esta vista es solo de lectura.</translation>
    </message>
</context>
<context>
    <name>waybill::app::DocumentLoader</name>
    <message>
        <source>The server gave no answer.</source>
        <translation>El servidor no respondió.</translation>
    </message>
    <message>
        <source>No invoice %1 on this account.</source>
        <translation>No hay factura %1 en esta cuenta.</translation>
    </message>
    <message>
        <source>Account %1 has no entries up to %2.</source>
        <translation>La cuenta %1 no tiene movimientos hasta el %2.</translation>
    </message>
    <message>
        <source>No shipment %1.</source>
        <translation>No existe el envío %1.</translation>
    </message>
</context>
<context>
    <name>waybill::app::DocumentPreview</name>
    <message>
        <source>Proof of record: log position %1, hash %2</source>
        <translation>Prueba de registro: posición %1 del registro, hash %2</translation>
    </message>
    <message>
        <source>&amp;Print…</source>
        <translation>&amp;Imprimir…</translation>
    </message>
    <message>
        <source>&amp;Save as PDF…</source>
        <translation>&amp;Guardar como PDF…</translation>
    </message>
    <message>
        <source>Save as PDF</source>
        <translation>Guardar como PDF</translation>
    </message>
    <message>
        <source>Could not save %1: %2</source>
        <translation>No se pudo guardar %1: %2</translation>
    </message>
    <message>
        <source>PDF files (*.pdf)</source>
        <translation>Archivos PDF (*.pdf)</translation>
    </message>
    <message>
        <source>Print %1</source>
        <translation>Imprimir %1</translation>
    </message>
</context>
<context>
    <name>waybill::app::EventLogModel</name>
    <message>
        <source>Position</source>
        <translation>Posición</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>Hora</translation>
    </message>
    <message>
        <source>Stream</source>
        <translation>Flujo</translation>
    </message>
    <message>
        <source>Version</source>
        <translation>Versión</translation>
    </message>
    <message>
        <source>Event</source>
        <translation>Evento</translation>
    </message>
    <message>
        <source>User</source>
        <translation>Usuario</translation>
    </message>
    <message>
        <source>Command</source>
        <translation>Comando</translation>
    </message>
    <message>
        <source>Data</source>
        <translation>Datos</translation>
    </message>
</context>
<context>
    <name>waybill::app::MainWindow</name>
    <message>
        <source>Waybill</source>
        <translation>Waybill</translation>
    </message>
    <message>
        <source>Working</source>
        <translation>Trabajando</translation>
    </message>
    <message>
        <source>&amp;Try again</source>
        <translation>&amp;Reintentar</translation>
    </message>
    <message>
        <source>&amp;Connect to a server…</source>
        <translation>&amp;Conectar a un servidor…</translation>
    </message>
    <message>
        <source>Starting Waybill…</source>
        <translation>Iniciando Waybill…</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>&amp;Archivo</translation>
    </message>
    <message>
        <source>&amp;New shipment…</source>
        <translation>&amp;Nuevo envío…</translation>
    </message>
    <message>
        <source>&amp;Connect to server…</source>
        <translation>&amp;Conectar a un servidor…</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>&amp;Salir</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>&amp;Ver</translation>
    </message>
    <message>
        <source>&amp;Refresh</source>
        <translation>&amp;Actualizar</translation>
    </message>
    <message>
        <source>&amp;Shipments</source>
        <translation>&amp;Envíos</translation>
    </message>
    <message>
        <source>&amp;Dispatch</source>
        <translation>&amp;Despacho</translation>
    </message>
    <message>
        <source>&amp;Accounts</source>
        <translation>&amp;Cuentas</translation>
    </message>
    <message>
        <source>A&amp;udit</source>
        <translation>A&amp;uditoría</translation>
    </message>
    <message>
        <source>&amp;Settings</source>
        <translation>&amp;Configuración</translation>
    </message>
    <message>
        <source>&amp;Language</source>
        <translation>&amp;Idioma</translation>
    </message>
    <message>
        <source>As the system</source>
        <translation>Como el sistema</translation>
    </message>
    <message>
        <source>The language changes the next time Waybill starts.</source>
        <translation>El idioma cambia la próxima vez que se inicie Waybill.</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>Ay&amp;uda</translation>
    </message>
    <message>
        <source>&amp;About Waybill</source>
        <translation>&amp;Acerca de Waybill</translation>
    </message>
    <message>
        <source>About Waybill</source>
        <translation>Acerca de Waybill</translation>
    </message>
    <message>
        <source>&lt;p&gt;&lt;b&gt;Waybill&lt;/b&gt; %1&lt;/p&gt;&lt;p&gt;Shipments, dispatch and billing, with every change kept in an untouchable history.&lt;/p&gt;</source>
        <translation>&lt;p&gt;&lt;b&gt;Waybill&lt;/b&gt; %1&lt;/p&gt;&lt;p&gt;Envíos, despacho y facturación, con cada cambio guardado en un historial intocable.&lt;/p&gt;</translation>
    </message>
    <message>
        <source>Shipments</source>
        <translation>Envíos</translation>
    </message>
    <message>
        <source>Dispatch</source>
        <translation>Despacho</translation>
    </message>
    <message>
        <source>Accounts</source>
        <translation>Cuentas</translation>
    </message>
    <message>
        <source>Audit</source>
        <translation>Auditoría</translation>
    </message>
    <message>
        <source>Ctrl+%1</source>
        <translation>Ctrl+%1</translation>
    </message>
    <message>
        <source>A command (%1)</source>
        <translation>Un comando (%1)</translation>
    </message>
    <message>
        <source>%1 was rejected: %2</source>
        <translation>%1 fue rechazado: %2</translation>
    </message>
    <message>
        <source>%1: done.</source>
        <translation>%1: hecho.</translation>
    </message>
    <message>
        <source>Live</source>
        <translation>En vivo</translation>
    </message>
    <message>
        <source>Offline: reconnecting…</source>
        <translation>Sin conexión: reconectando…</translation>
    </message>
    <message>
        <source>Changes by others appear as they happen.</source>
        <translation>Los cambios de otros aparecen en cuanto ocurren.</translation>
    </message>
    <message>
        <source>Changes by others appear once the connection is back.</source>
        <translation>Los cambios de otros aparecerán cuando vuelva la conexión.</translation>
    </message>
    <message>
        <source>%1, as %2</source>
        <translation>%1, como %2</translation>
    </message>
    <message>
        <source>%1, as %2 (%3)</source>
        <translation>%1, como %2 (%3)</translation>
    </message>
    <message>
        <source>Waybill: %1</source>
        <translation>Waybill: %1</translation>
    </message>
    <message>
        <source>&amp;Trucks</source>
        <translation>&amp;Camiones</translation>
    </message>
    <message>
        <source>Trucks</source>
        <translation>Camiones</translation>
    </message>
    <message>
        <source>&amp;Planboard</source>
        <translation>&amp;Planificador</translation>
    </message>
    <message>
        <source>Planboard</source>
        <translation>Planificador</translation>
    </message>
    <message>
        <source>R&amp;eports…</source>
        <translation>&amp;Informes…</translation>
    </message>
    <message>
        <source>&amp;Move this computer&apos;s data to a server…</source>
        <translation>&amp;Mover los datos de este equipo a un servidor…</translation>
    </message>
</context>
<context>
    <name>waybill::app::MoveDataDialog</name>
    <message>
        <source>&amp;Move</source>
        <translation>&amp;Mover</translation>
    </message>
    <message>
        <source>&amp;Connect to the server…</source>
        <translation>&amp;Conectar al servidor…</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Cerrar</translation>
    </message>
    <message>
        <source>Move this computer&apos;s data to a server</source>
        <translation>Mover los datos de este equipo a un servidor</translation>
    </message>
    <message>
        <source>Copies every shipment, account, truck, invoice, the history and the access tokens of this computer into the database of a Waybill server. The server&apos;s database must be empty; this computer&apos;s data stays as it is.

The database address is the one the server is set up with (its --db or WAYBILL_DB); ask whoever installed the server.</source>
        <translation>Copia todos los envíos, cuentas, camiones y facturas, el historial y los tokens de acceso de este equipo en la base de datos de un servidor de Waybill. La base de datos del servidor debe estar vacía; los datos de este equipo quedan como están.

La dirección de la base de datos es la que tiene configurada el servidor (su --db o WAYBILL_DB); pregúntela a quien instaló el servidor.</translation>
    </message>
    <message>
        <source>postgresql://waybill@db.example.com:5432/waybill</source>
        <translation>postgresql://waybill@db.example.com:5432/waybill</translation>
    </message>
    <message>
        <source>Server database address</source>
        <translation>Dirección de la base de datos del servidor</translation>
    </message>
    <message>
        <source>Database password</source>
        <translation>Contraseña de la base de datos</translation>
    </message>
    <message>
        <source>This computer&apos;s data:</source>
        <translation>Datos de este equipo:</translation>
    </message>
    <message>
        <source>Server &amp;database:</source>
        <translation>&amp;Base de datos del servidor:</translation>
    </message>
    <message>
        <source>&amp;Password:</source>
        <translation>&amp;Contraseña:</translation>
    </message>
    <message>
        <source>Moving to %1…</source>
        <translation>Moviendo a %1…</translation>
    </message>
    <message>
        <source>Start the server on this database, then connect to it: this computer&apos;s access token works there too.</source>
        <translation>Inicie el servidor con esta base de datos y luego conéctese a él: el token de acceso de este equipo también sirve allí.</translation>
    </message>
    <message>
        <source>Nothing was moved: %1</source>
        <translation>No se movió nada: %1</translation>
    </message>
    <message>
        <source>The move did not finish: %1
The server&apos;s database is marked as an unfinished copy, which no server will open: empty it and move again.</source>
        <translation>El traslado no terminó: %1
La base de datos del servidor está marcada como una copia sin terminar, que ningún servidor abrirá: vacíela y vuelva a moverlo.</translation>
    </message>
</context>
<context>
    <name>waybill::app::NewShipmentDialog</name>
    <message>
        <source>Ship from</source>
        <translation>Origen</translation>
    </message>
    <message>
        <source>Ship to</source>
        <translation>Destino</translation>
    </message>
    <message>
        <source>New shipment</source>
        <translation>Nuevo envío</translation>
    </message>
    <message>
        <source>Shipment id</source>
        <translation>Identificador del envío</translation>
    </message>
    <message>
        <source>e.g. ACME-FOODS</source>
        <translation>p. ej. ACME-FOODS</translation>
    </message>
    <message>
        <source>Bill-to account</source>
        <translation>Cuenta a facturar</translation>
    </message>
    <message>
        <source>1 to 80,000</source>
        <translation>1 a 80.000</translation>
    </message>
    <message>
        <source>Weight in pounds</source>
        <translation>Peso en libras</translation>
    </message>
    <message>
        <source>Shipment &amp;id:</source>
        <translation>&amp;Identificador del envío:</translation>
    </message>
    <message>
        <source>&amp;Bill to account:</source>
        <translation>&amp;Cuenta a facturar:</translation>
    </message>
    <message>
        <source>&amp;Weight (lb):</source>
        <translation>&amp;Peso (lb):</translation>
    </message>
    <message>
        <source>&amp;Submit shipment</source>
        <translation>&amp;Registrar el envío</translation>
    </message>
    <message>
        <source>The cost is quoted once the weight is entered.</source>
        <translation>El costo se cotiza al escribir el peso.</translation>
    </message>
    <message>
        <source>1 to 64 letters, digits, &apos;-&apos;, &apos;_&apos; or &apos;.&apos;.</source>
        <translation>De 1 a 64 letras, dígitos, &apos;-&apos;, &apos;_&apos; o &apos;.&apos;.</translation>
    </message>
    <message>
        <source>A weight from 1 to 80,000 lb.</source>
        <translation>Un peso de 1 a 80.000 lb.</translation>
    </message>
    <message>
        <source>Two letters, e.g. TX.</source>
        <translation>Dos letras, p. ej. TX.</translation>
    </message>
    <message>
        <source>Five digits, e.g. 78701.</source>
        <translation>Cinco dígitos, p. ej. 78701.</translation>
    </message>
    <message>
        <source>Required.</source>
        <translation>Obligatorio.</translation>
    </message>
    <message>
        <source>The cost is quoted once a weight from 1 to 80,000 lb is entered.</source>
        <translation>El costo se cotiza al escribir un peso de 1 a 80.000 lb.</translation>
    </message>
    <message>
        <source>Cost: about %1 at the standard rate; the server sets the price when the shipment is submitted.</source>
        <translation>Costo: unos %1 con la tarifa estándar; el servidor fija el precio al registrar el envío.</translation>
    </message>
    <message>
        <source>Some fields need attention; each says what is wrong.</source>
        <translation>Algunos campos necesitan atención; cada uno indica qué está mal.</translation>
    </message>
    <message>
        <source>Sending…</source>
        <translation>Enviando…</translation>
    </message>
    <message>
        <source>Shipment %1 submitted; cost %2.</source>
        <translation>Envío %1 registrado; costo %2.</translation>
    </message>
    <message>
        <source>Shipment %1 submitted.</source>
        <translation>Envío %1 registrado.</translation>
    </message>
    <message>
        <source>The server found problems; each field says what is wrong.</source>
        <translation>El servidor encontró problemas; cada campo indica qué está mal.</translation>
    </message>
    <message>
        <source>The shipment was refused: %1</source>
        <translation>El envío fue rechazado: %1</translation>
    </message>
    <message>
        <source>%1 Sending again is safe: it will not be submitted twice.</source>
        <translation>%1 Puede volver a enviarlo sin riesgo: no se registrará dos veces.</translation>
    </message>
    <message>
        <source>&amp;Pickup:</source>
        <translation>&amp;Recogida:</translation>
    </message>
    <message>
        <source>D&amp;elivery:</source>
        <translation>&amp;Entrega:</translation>
    </message>
    <message>
        <source>The delivery window must not end before the pickup window starts.</source>
        <translation>La ventana de entrega no puede terminar antes de que empiece la de recogida.</translation>
    </message>
    <message>
        <source>The window ends before it starts.</source>
        <translation>La ventana termina antes de empezar.</translation>
    </message>
    <message>
        <source>e.g. liftgate, residential (optional)</source>
        <translation>p. ej. liftgate, residential (opcional)</translation>
    </message>
    <message>
        <source>Accessorial charges</source>
        <translation>Cargos por servicios adicionales</translation>
    </message>
    <message>
        <source>Acce&amp;ssorials:</source>
        <translation>&amp;Servicios adicionales:</translation>
    </message>
    <message>
        <source>Codes of letters, digits, &apos;-&apos;, &apos;_&apos; or &apos;.&apos;, each once, separated by commas.</source>
        <translation>Códigos de letras, dígitos, &apos;-&apos;, &apos;_&apos; o &apos;.&apos;, cada uno una vez, separados por comas.</translation>
    </message>
    <message>
        <source>The cost is quoted once the weight and both states are entered.</source>
        <translation>El costo se cotiza cuando se indican el peso y ambos estados.</translation>
    </message>
    <message>
        <source>No price for this: %1</source>
        <translation>Sin precio para esto: %1</translation>
    </message>
    <message>
        <source>Cost: %1 (quoted by the server, rate table %2).
%3</source>
        <translation>Costo: %1 (cotizado por el servidor, tarifa %2).
%3</translation>
    </message>
    <message>
        <source>Finding the next free id…</source>
        <translation>Buscando el siguiente identificador libre…</translation>
    </message>
    <message>
        <source>Shipment %1 exists already; choose another id.</source>
        <translation>El envío %1 ya existe; elija otro identificador.</translation>
    </message>
</context>
<context>
    <name>waybill::app::NotificationBar</name>
    <message>
        <source>Notifications</source>
        <translation>Avisos</translation>
    </message>
    <message>
        <source>Close this message</source>
        <translation>Cerrar este aviso</translation>
    </message>
</context>
<context>
    <name>waybill::app::PlanBoard</name>
    <message>
        <source>%1 (%2)</source>
        <translation>%1 (%2)</translation>
    </message>
    <message>
        <source>&amp;Day</source>
        <translation>&amp;Día</translation>
    </message>
    <message>
        <source>&amp;Week</source>
        <translation>&amp;Semana</translation>
    </message>
    <message>
        <source>◀ &amp;Earlier</source>
        <translation>◀ &amp;Antes</translation>
    </message>
    <message>
        <source>&amp;Today</source>
        <translation>&amp;Hoy</translation>
    </message>
    <message>
        <source>&amp;Later ▶</source>
        <translation>&amp;Después ▶</translation>
    </message>
    <message>
        <source>Zoom &amp;in</source>
        <translation>&amp;Acercar</translation>
    </message>
    <message>
        <source>Zoom &amp;out</source>
        <translation>A&amp;lejar</translation>
    </message>
    <message>
        <source>&amp;Assign to truck…</source>
        <translation>&amp;Asignar a camión…</translation>
    </message>
    <message>
        <source>&amp;Ship</source>
        <translation>&amp;Enviar</translation>
    </message>
    <message>
        <source>&amp;Reschedule…</source>
        <translation>&amp;Reprogramar…</translation>
    </message>
    <message>
        <source>&amp;Move every load of this truck…</source>
        <translation>&amp;Mover todas las cargas de este camión…</translation>
    </message>
    <message>
        <source>Move with the &amp;keyboard</source>
        <translation>Mover con el &amp;teclado</translation>
    </message>
    <message>
        <source>Pick up the selected loads (M), choose a truck with the arrow keys, drop with Enter, or Esc to leave them where they are</source>
        <translation>Tome las cargas seleccionadas (M), elija un camión con las flechas y suéltelas con Intro, o pulse Esc para dejarlas donde están</translation>
    </message>
    <message>
        <source>%1 trucks · %2 loads · %3 waiting · %4 late</source>
        <translation>%1 camiones · %2 cargas · %3 en espera · %4 con retraso</translation>
    </message>
    <message>
        <source>&amp;Move every load of truck %1…</source>
        <translation>&amp;Mover todas las cargas del camión %1…</translation>
    </message>
    <message>
        <source>Wait for the answers to the last change first.</source>
        <translation>Espere primero las respuestas al último cambio.</translation>
    </message>
    <message>
        <source>Choose a truck with ↑ and ↓, then Enter to drop or Esc to cancel.</source>
        <translation>Elija un camión con ↑ y ↓; luego Intro para soltar o Esc para cancelar.</translation>
    </message>
    <message>
        <source>A load cannot be taken off its truck; assign it to another truck.</source>
        <translation>Una carga no se puede quitar de su camión; asígnela a otro camión.</translation>
    </message>
    <message>
        <source>Nothing moved.</source>
        <translation>No se movió nada.</translation>
    </message>
    <message>
        <source>Assign %1 to truck %2</source>
        <translation>Asignar %1 al camión %2</translation>
    </message>
    <message numerus="yes">
        <source>Assign %n loads to truck %1</source>
        <translation>
            <numerusform>Asignar %n carga al camión %1</numerusform>
            <numerusform>Asignar %n cargas al camión %1</numerusform>
        </translation>
    </message>
    <message>
        <source>Ship %1</source>
        <translation>Enviar %1</translation>
    </message>
    <message numerus="yes">
        <source>Ship %n loads</source>
        <translation>
            <numerusform>Enviar %n carga</numerusform>
            <numerusform>Enviar %n cargas</numerusform>
        </translation>
    </message>
    <message>
        <source>Shipment %1 has no window that can be moved.</source>
        <translation>El envío %1 no tiene ninguna ventana que se pueda mover.</translation>
    </message>
    <message>
        <source>Shipment %1 is no longer on the board.</source>
        <translation>El envío %1 ya no está en el planificador.</translation>
    </message>
    <message>
        <source>Reschedule %1 by %2 h</source>
        <translation>Reprogramar %1 en %2 h</translation>
    </message>
    <message numerus="yes">
        <source>Reschedule %n loads by %1 h</source>
        <translation>
            <numerusform>Reprogramar %n carga en %1 h</numerusform>
            <numerusform>Reprogramar %n cargas en %1 h</numerusform>
        </translation>
    </message>
    <message>
        <source>Truck %1 has no loads to move.</source>
        <translation>El camión %1 no tiene cargas que mover.</translation>
    </message>
    <message>
        <source>Move every load of truck %1 to truck %2</source>
        <translation>Mover todas las cargas del camión %1 al camión %2</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1: %2</translation>
    </message>
    <message>
        <source>%1 (recorded; Waybill tells you if it cannot be carried out)</source>
        <translation>%1 (registrado; Waybill le avisará si no se puede llevar a cabo)</translation>
    </message>
    <message>
        <source>%1: someone else changed it first (you saw version %2; it is now at version %3). The board shows it as it is now.</source>
        <translation>%1: otra persona lo cambió antes (usted vio la versión %2; ahora está en la versión %3). El planificador lo muestra como está ahora.</translation>
    </message>
    <message>
        <source>%1 was refused: %2</source>
        <translation>Se rechazó «%1»: %2</translation>
    </message>
    <message>
        <source>%1: done.</source>
        <translation>%1: hecho.</translation>
    </message>
    <message>
        <source>%1: %2 done, %3 refused.</source>
        <translation>%1: %2 hechos, %3 rechazados.</translation>
    </message>
    <message>
        <source>Assign to a truck</source>
        <translation>Asignar a un camión</translation>
    </message>
    <message numerus="yes">
        <source>Assign %n load(s) to the truck chosen: %1.</source>
        <translation>
            <numerusform>Asignar %n carga al camión elegido: %1.</numerusform>
            <numerusform>Asignar %n cargas al camión elegido: %1.</numerusform>
        </translation>
    </message>
    <message>
        <source>Move every load of truck %1</source>
        <translation>Mover todas las cargas del camión %1</translation>
    </message>
    <message numerus="yes">
        <source>Truck %1 carries %n load(s). Each is moved to the truck chosen, one command per load; a summary says which were moved and which were refused, and why.</source>
        <translation>
            <numerusform>El camión %1 lleva %n carga. Se mueve al camión elegido con una orden; un resumen dice si se movió o se rechazó, y por qué.</numerusform>
            <numerusform>El camión %1 lleva %n cargas. Cada una se mueve al camión elegido, con una orden por carga; un resumen dice cuáles se movieron y cuáles se rechazaron, y por qué.</numerusform>
        </translation>
    </message>
    <message>
        <source>Move every load of truck %1…</source>
        <translation>Mover todas las cargas del camión %1…</translation>
    </message>
    <message>
        <source>Late</source>
        <translation>Con retraso</translation>
    </message>
</context>
<context>
    <name>waybill::app::PlanBoardCanvas</name>
    <message>
        <source>Trucks and their loads over time</source>
        <translation>Camiones y sus cargas en el tiempo</translation>
    </message>
    <message>
        <source>Loads waiting for a truck</source>
        <translation>Cargas en espera de camión</translation>
    </message>
    <message>
        <source>No load is waiting for a truck.</source>
        <translation>Ninguna carga espera camión.</translation>
    </message>
    <message>
        <source>No trucks yet: register them in the Trucks tab.</source>
        <translation>Aún no hay camiones: regístrelos en la pestaña Camiones.</translation>
    </message>
    <message>
        <source>Truck · load / capacity</source>
        <translation>Camión · carga / capacidad</translation>
    </message>
    <message>
        <source>now</source>
        <translation>ahora</translation>
    </message>
    <message>
        <source>Waiting for a truck (%1)</source>
        <translation>En espera de camión (%1)</translation>
    </message>
    <message>
        <source>Drag a load onto a truck to assign it.</source>
        <translation>Arrastre una carga a un camión para asignarla.</translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <translation>%1 (%2)</translation>
    </message>
    <message>
        <source>%1 / %2 lb</source>
        <translation>%1 / %2 lb</translation>
    </message>
    <message>
        <source>%1 lb, no capacity set</source>
        <translation>%1 lb, sin capacidad fijada</translation>
    </message>
    <message>
        <source>In service, free</source>
        <translation>En servicio, libre</translation>
    </message>
    <message>
        <source>In service</source>
        <translation>En servicio</translation>
    </message>
    <message>
        <source>Out of service: %1</source>
        <translation>Fuera de servicio: %1</translation>
    </message>
    <message>
        <source>%1 · late for pickup</source>
        <translation>%1 · recogida con retraso</translation>
    </message>
    <message>
        <source>%1 · late for delivery</source>
        <translation>%1 · entrega con retraso</translation>
    </message>
    <message>
        <source>Assign %1 to truck %2</source>
        <translation>Asignar %1 al camión %2</translation>
    </message>
    <message numerus="yes">
        <source>Assign %n loads to truck %1</source>
        <translation>
            <numerusform>Asignar %n carga al camión %1</numerusform>
            <numerusform>Asignar %n cargas al camión %1</numerusform>
        </translation>
    </message>
    <message>
        <source>&lt;b&gt;%1&lt;/b&gt; · %2 · %3 lb</source>
        <translation>&lt;b&gt;%1&lt;/b&gt; · %2 · %3 lb</translation>
    </message>
    <message>
        <source>%1 → %2</source>
        <translation>%1 → %2</translation>
    </message>
    <message>
        <source>Pickup: %1 to %2</source>
        <translation>Recogida: de %1 a %2</translation>
    </message>
    <message>
        <source>Delivery: %1 to %2</source>
        <translation>Entrega: de %1 a %2</translation>
    </message>
    <message>
        <source>No time window: drawn at its creation.</source>
        <translation>Sin ventana horaria: se dibuja en el momento de su alta.</translation>
    </message>
    <message>
        <source>Moving to truck %1…</source>
        <translation>Pasando al camión %1…</translation>
    </message>
    <message>
        <source>Late: its pickup window has ended.</source>
        <translation>Con retraso: su ventana de recogida ha terminado.</translation>
    </message>
    <message>
        <source>Late: its delivery window has ended.</source>
        <translation>Con retraso: su ventana de entrega ha terminado.</translation>
    </message>
</context>
<context>
    <name>waybill::app::PlanBoardModel</name>
    <message>
        <source>The planboard could not be read: %1</source>
        <translation>No se pudo leer el planificador: %1</translation>
    </message>
    <message>
        <source>Shipment %1 is no longer on the board.</source>
        <translation>El envío %1 ya no está en el planificador.</translation>
    </message>
</context>
<context>
    <name>waybill::app::PlanRescheduleDialog</name>
    <message>
        <source>Reschedule</source>
        <translation>Reprogramar</translation>
    </message>
    <message numerus="yes">
        <source>Moves the pickup and delivery windows of %n load(s) by the same time. A load on the road keeps its pickup window: only its delivery window moves.</source>
        <translation>
            <numerusform>Mueve las ventanas de recogida y entrega de %n carga el mismo tiempo. Una carga en ruta conserva su ventana de recogida: solo se mueve su ventana de entrega.</numerusform>
            <numerusform>Mueve las ventanas de recogida y entrega de %n cargas el mismo tiempo. Una carga en ruta conserva su ventana de recogida: solo se mueve su ventana de entrega.</numerusform>
        </translation>
    </message>
    <message>
        <source> h</source>
        <translation> h</translation>
    </message>
    <message>
        <source>Negative: earlier</source>
        <translation>Negativo: antes</translation>
    </message>
    <message>
        <source>e.g. The customer asked for Thursday (optional)</source>
        <translation>p. ej. El cliente pidió el jueves (opcional)</translation>
    </message>
    <message>
        <source>&amp;Move by:</source>
        <translation>&amp;Mover:</translation>
    </message>
    <message>
        <source>&amp;Reason:</source>
        <translation>&amp;Motivo:</translation>
    </message>
</context>
<context>
    <name>waybill::app::PlanSummaryDialog</name>
    <message>
        <source>%1: %2 done, %3 refused.</source>
        <translation>%1: %2 hechos, %3 rechazados.</translation>
    </message>
    <message>
        <source>&amp;Done (%1):</source>
        <translation>&amp;Hechos (%1):</translation>
    </message>
    <message>
        <source>&amp;Refused, and why (%1):</source>
        <translation>&amp;Rechazados, y por qué (%1):</translation>
    </message>
</context>
<context>
    <name>waybill::app::PlanTruckDialog</name>
    <message>
        <source>%1 (%2)</source>
        <translation>%1 (%2)</translation>
    </message>
    <message>
        <source>: %1 of %2 lb</source>
        <translation>: %1 de %2 lb</translation>
    </message>
    <message>
        <source>: %1 lb</source>
        <translation>: %1 lb</translation>
    </message>
    <message>
        <source> (out of service)</source>
        <translation> (fuera de servicio)</translation>
    </message>
    <message>
        <source>&amp;Truck:</source>
        <translation>&amp;Camión:</translation>
    </message>
    <message>
        <source>Move</source>
        <translation>Mover</translation>
    </message>
</context>
<context>
    <name>waybill::app::ReportsView</name>
    <message>
        <source>&amp;Refresh</source>
        <translation>&amp;Actualizar</translation>
    </message>
    <message>
        <source>&amp;Export CSV…</source>
        <translation>&amp;Exportar CSV…</translation>
    </message>
    <message>
        <source>Waybill: Reports</source>
        <translation>Waybill: Informes</translation>
    </message>
    <message>
        <source>The reports show the history as it stood at the end of this day (now, for today).</source>
        <translation>Los informes muestran el historial tal como estaba al final de este día (ahora, si es hoy).</translation>
    </message>
    <message>
        <source>Revenue, on-time delivery and utilisation cover this many weeks (UTC, from Monday), up to the week of the date</source>
        <translation>Los ingresos, las entregas a tiempo y el uso abarcan este número de semanas (UTC, desde el lunes), hasta la semana de la fecha</translation>
    </message>
    <message>
        <source>Read the reports again (F5)</source>
        <translation>Volver a leer los informes (F5)</translation>
    </message>
    <message>
        <source>&amp;As of:</source>
        <translation>&amp;A fecha de:</translation>
    </message>
    <message>
        <source>&amp;Weeks:</source>
        <translation>&amp;Semanas:</translation>
    </message>
    <message>
        <source>Revenue by week</source>
        <translation>Ingresos por semana</translation>
    </message>
    <message>
        <source>Revenue by account</source>
        <translation>Ingresos por cuenta</translation>
    </message>
    <message>
        <source>On-time delivery</source>
        <translation>Entregas a tiempo</translation>
    </message>
    <message>
        <source>Truck utilisation</source>
        <translation>Uso de camiones</translation>
    </message>
    <message>
        <source>Aging</source>
        <translation>Antigüedad de saldos</translation>
    </message>
    <message>
        <source>Reading the reports…</source>
        <translation>Leyendo los informes…</translation>
    </message>
    <message>
        <source>As the history stood at %1</source>
        <translation>Tal como estaba el historial el %1</translation>
    </message>
    <message>
        <source>Some reports could not be read: %1</source>
        <translation>No se pudieron leer algunos informes: %1</translation>
    </message>
    <message>
        <source>Could not write %1: %2</source>
        <translation>No se pudo escribir %1: %2</translation>
    </message>
    <message>
        <source>Export the report</source>
        <translation>Exportar el informe</translation>
    </message>
    <message>
        <source>CSV files (*.csv)</source>
        <translation>Archivos CSV (*.csv)</translation>
    </message>
    <message>
        <source>Saved %1</source>
        <translation>Guardado %1</translation>
    </message>
</context>
<context>
    <name>waybill::app::RescheduleDialog</name>
    <message>
        <source>&amp;Pickup:</source>
        <translation>&amp;Recogida:</translation>
    </message>
    <message>
        <source>D&amp;elivery:</source>
        <translation>&amp;Entrega:</translation>
    </message>
    <message>
        <source>Reschedule shipment %1</source>
        <translation>Reprogramar el envío %1</translation>
    </message>
    <message>
        <source>Shipment %1 is on the road: only its delivery window can change.</source>
        <translation>El envío %1 está en camino: solo puede cambiar su ventana de entrega.</translation>
    </message>
    <message>
        <source>New times for shipment %1. The history keeps the old ones.</source>
        <translation>Nuevas horas para el envío %1. El historial conserva las anteriores.</translation>
    </message>
    <message>
        <source>Picked up already: the pickup window can no longer change.</source>
        <translation>Ya recogido: la ventana de recogida ya no puede cambiar.</translation>
    </message>
    <message>
        <source>e.g. The customer asked for Thursday (optional)</source>
        <translation>p. ej. El cliente pidió el jueves (opcional)</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>Motivo</translation>
    </message>
    <message>
        <source>&amp;Reason:</source>
        <translation>&amp;Motivo:</translation>
    </message>
    <message>
        <source>Reschedule</source>
        <translation>Reprogramar</translation>
    </message>
    <message>
        <source>A window cannot be removed; change its times instead.</source>
        <translation>Una ventana no se puede quitar; cambie sus horas.</translation>
    </message>
    <message>
        <source>Nothing is changed.</source>
        <translation>No ha cambiado nada.</translation>
    </message>
    <message>
        <source>The delivery window must not end before the pickup window starts.</source>
        <translation>La ventana de entrega no puede terminar antes de que empiece la de recogida.</translation>
    </message>
    <message>
        <source>The window ends before it starts.</source>
        <translation>La ventana termina antes de empezar.</translation>
    </message>
</context>
<context>
    <name>waybill::app::ServerTrust</name>
    <message>
        <source>The CA file %1 cannot be read.</source>
        <translation>No se puede leer el archivo de CA %1.</translation>
    </message>
    <message>
        <source>The CA file %1 holds no PEM certificate.</source>
        <translation>El archivo de CA %1 no contiene ningún certificado PEM.</translation>
    </message>
    <message>
        <source>The accepted certificate could not be remembered in %1.</source>
        <translation>No se pudo guardar el certificado aceptado en %1.</translation>
    </message>
</context>
<context>
    <name>waybill::app::Session</name>
    <message>
        <source>This server does not say what your role may do: every action is offered, and the server refuses what your role may not do.</source>
        <translation>Este servidor no indica qué puede hacer su rol: se ofrecen todas las acciones y el servidor rechaza las que su rol no puede hacer.</translation>
    </message>
</context>
<context>
    <name>waybill::app::ShipmentActions</name>
    <message>
        <source>&amp;Assign truck…</source>
        <translation>&amp;Asignar camión…</translation>
    </message>
    <message>
        <source>&amp;Ship</source>
        <translation>&amp;Enviar</translation>
    </message>
    <message>
        <source>&amp;Deliver…</source>
        <translation>E&amp;ntregar…</translation>
    </message>
    <message>
        <source>Ca&amp;ncel shipment…</source>
        <translation>&amp;Cancelar el envío…</translation>
    </message>
    <message>
        <source>Select a shipment first.</source>
        <translation>Primero seleccione un envío.</translation>
    </message>
    <message>
        <source>Re-&amp;assign truck…</source>
        <translation>Re&amp;asignar camión…</translation>
    </message>
    <message>
        <source>Move shipment %1 from truck %2 to another truck</source>
        <translation>Pasar el envío %1 del camión %2 a otro camión</translation>
    </message>
    <message>
        <source>Assign a truck to shipment %1</source>
        <translation>Asignar un camión al envío %1</translation>
    </message>
    <message>
        <source>A truck can be assigned only while a shipment is Submitted or Assigned; %1 is %2.</source>
        <translation>Solo se puede asignar un camión a un envío Registrado o Asignado; %1 está %2.</translation>
    </message>
    <message>
        <source>Mark shipment %1 as on the road</source>
        <translation>Marcar el envío %1 como en ruta</translation>
    </message>
    <message>
        <source>Only an assigned shipment can be shipped; %1 is %2.</source>
        <translation>Solo se puede enviar un envío asignado; %1 está %2.</translation>
    </message>
    <message>
        <source>Record the delivery of shipment %1</source>
        <translation>Registrar la entrega del envío %1</translation>
    </message>
    <message>
        <source>Only a shipped shipment can be delivered; %1 is %2.</source>
        <translation>Solo se puede entregar un envío enviado; %1 está %2.</translation>
    </message>
    <message>
        <source>Cancel shipment %1</source>
        <translation>Cancelar el envío %1</translation>
    </message>
    <message>
        <source>Only a submitted or assigned shipment can be cancelled; %1 is %2.</source>
        <translation>Solo se puede cancelar un envío registrado o asignado; %1 está %2.</translation>
    </message>
    <message>
        <source>Assign a truck</source>
        <translation>Asignar un camión</translation>
    </message>
    <message>
        <source>Re-assign a truck</source>
        <translation>Reasignar un camión</translation>
    </message>
    <message>
        <source>Shipment %1 goes from %2 to %3.</source>
        <translation>El envío %1 va de %2 a %3.</translation>
    </message>
    <message>
        <source>Shipment %1 is on truck %2. Choose the truck that takes it over (for example after a breakdown).</source>
        <translation>El envío %1 está en el camión %2. Elija el camión que lo releva (por ejemplo, tras una avería).</translation>
    </message>
    <message>
        <source>&amp;Truck:</source>
        <translation>&amp;Camión:</translation>
    </message>
    <message>
        <source>e.g. T-101</source>
        <translation>p. ej. T-101</translation>
    </message>
    <message>
        <source>Assign</source>
        <translation>Asignar</translation>
    </message>
    <message>
        <source>Record a delivery</source>
        <translation>Registrar una entrega</translation>
    </message>
    <message>
        <source>Shipment %1 was delivered to %2. Delivering it bills account %3.</source>
        <translation>El envío %1 se entregó a %2. Al entregarlo se factura a la cuenta %3.</translation>
    </message>
    <message>
        <source>&amp;Signed by:</source>
        <translation>&amp;Firmado por:</translation>
    </message>
    <message>
        <source>Name of the person who signed (optional)</source>
        <translation>Nombre de quien firmó (opcional)</translation>
    </message>
    <message>
        <source>Deliver</source>
        <translation>Entregar</translation>
    </message>
    <message>
        <source>Cancel a shipment</source>
        <translation>Cancelar un envío</translation>
    </message>
    <message>
        <source>Cancelling shipment %1 cannot be undone.</source>
        <translation>La cancelación del envío %1 no se puede deshacer.</translation>
    </message>
    <message>
        <source>&amp;Reason:</source>
        <translation>&amp;Motivo:</translation>
    </message>
    <message>
        <source>e.g. The customer called it off</source>
        <translation>p. ej. El cliente lo anuló</translation>
    </message>
    <message>
        <source>Cancel shipment</source>
        <translation>Cancelar el envío</translation>
    </message>
    <message>
        <source>A&amp;mend…</source>
        <translation>C&amp;orregir…</translation>
    </message>
    <message>
        <source>Correct the weight, account or addresses of shipment %1</source>
        <translation>Corregir el peso, la cuenta o las direcciones del envío %1</translation>
    </message>
    <message>
        <source>Only a submitted or assigned shipment can be amended; %1 is %2.</source>
        <translation>Solo se puede corregir un envío registrado o asignado; %1 está %2.</translation>
    </message>
    <message>
        <source>Resc&amp;hedule…</source>
        <translation>Repro&amp;gramar…</translation>
    </message>
    <message>
        <source>Change the pickup or delivery window of shipment %1</source>
        <translation>Cambiar la ventana de recogida o de entrega del envío %1</translation>
    </message>
    <message>
        <source>Only a shipment not yet delivered or cancelled can be rescheduled; %1 is %2.</source>
        <translation>Solo se puede reprogramar un envío aún no entregado ni cancelado; %1 está %2.</translation>
    </message>
</context>
<context>
    <name>waybill::app::ShipmentBoard</name>
    <message>
        <source>All statuses</source>
        <translation>Todos los estados</translation>
    </message>
    <message>
        <source>Status filter</source>
        <translation>Filtro por estado</translation>
    </message>
    <message>
        <source>Truck</source>
        <translation>Camión</translation>
    </message>
    <message>
        <source>Truck filter</source>
        <translation>Filtro por camión</translation>
    </message>
    <message>
        <source>Account</source>
        <translation>Cuenta</translation>
    </message>
    <message>
        <source>Account filter</source>
        <translation>Filtro por cuenta</translation>
    </message>
    <message>
        <source>Search shipments by id or address</source>
        <translation>Buscar envíos por identificador o dirección</translation>
    </message>
    <message>
        <source>&amp;Status:</source>
        <translation>&amp;Estado:</translation>
    </message>
    <message>
        <source>Shipments</source>
        <translation>Envíos</translation>
    </message>
    <message>
        <source>Loading…</source>
        <translation>Cargando…</translation>
    </message>
    <message numerus="yes">
        <source>%Ln shipment(s)</source>
        <translation>
            <numerusform>%Ln envío</numerusform>
            <numerusform>%Ln envíos</numerusform>
        </translation>
    </message>
    <message>
        <source>Any time</source>
        <translation>Cualquier momento</translation>
    </message>
    <message>
        <source>Late</source>
        <translation>Con retraso</translation>
    </message>
    <message>
        <source>Due today</source>
        <translation>Para hoy</translation>
    </message>
    <message>
        <source>Timing filter</source>
        <translation>Filtro de puntualidad</translation>
    </message>
    <message>
        <source>Late: a window has ended and the shipment is not yet picked up or delivered. Due today: a pickup or delivery window today.</source>
        <translation>Con retraso: una ventana ha terminado y el envío aún no se ha recogido o entregado. Para hoy: una ventana de recogida o de entrega hoy.</translation>
    </message>
    <message>
        <source>No shipments yet. To begin, create one with File › New shipment… (Ctrl+N), or connect to your office&apos;s server with File › Connect to server…. To look around first, start Waybill with --demo: it fills a demo database of its own with a working week, apart from your data.</source>
        <translation>Todavía no hay envíos. Para empezar, cree uno con Archivo › Nuevo envío… (Ctrl+N), o conéctese al servidor de su oficina con Archivo › Conectar a un servidor…. Para echar un vistazo antes, inicie Waybill con --demo: llena una base de datos de demostración propia con una semana de trabajo, aparte de sus datos.</translation>
    </message>
    <message>
        <source>Id or address</source>
        <translation>Id. o dirección</translation>
    </message>
    <message>
        <source>Search shipments by id or address (Ctrl+F)</source>
        <translation>Buscar envíos por identificador o dirección (Ctrl+F)</translation>
    </message>
</context>
<context>
    <name>waybill::app::ShipmentDetail</name>
    <message>
        <source>Select a shipment on the board to see its details and history.</source>
        <translation>Seleccione un envío en el tablero para ver sus datos y su historial.</translation>
    </message>
    <message>
        <source>&amp;Back to now</source>
        <translation>&amp;Volver al presente</translation>
    </message>
    <message>
        <source>Show the shipment as it is now (Esc)</source>
        <translation>Muestra el envío tal como está ahora (Esc)</translation>
    </message>
    <message>
        <source>Status:</source>
        <translation>Estado:</translation>
    </message>
    <message>
        <source>From:</source>
        <translation>Origen:</translation>
    </message>
    <message>
        <source>To:</source>
        <translation>Destino:</translation>
    </message>
    <message>
        <source>Weight:</source>
        <translation>Peso:</translation>
    </message>
    <message>
        <source>Bill to:</source>
        <translation>Facturar a:</translation>
    </message>
    <message>
        <source>Cost:</source>
        <translation>Costo:</translation>
    </message>
    <message>
        <source>Truck:</source>
        <translation>Camión:</translation>
    </message>
    <message>
        <source>Created:</source>
        <translation>Creado:</translation>
    </message>
    <message>
        <source>Shipped:</source>
        <translation>Enviado:</translation>
    </message>
    <message>
        <source>Delivered:</source>
        <translation>Entregado:</translation>
    </message>
    <message>
        <source>Signed by:</source>
        <translation>Firmado por:</translation>
    </message>
    <message>
        <source>Cancelled because:</source>
        <translation>Cancelado porque:</translation>
    </message>
    <message>
        <source>&amp;History (pick an event to see the shipment as it was then):</source>
        <translation>&amp;Historial (elija un evento para ver el envío tal como estaba entonces):</translation>
    </message>
    <message>
        <source>History</source>
        <translation>Historial</translation>
    </message>
    <message>
        <source>As it was on %1, right after: %2</source>
        <translation>Tal como estaba el %1, justo después de: %2</translation>
    </message>
    <message>
        <source>You are looking at the past. Go back to now to act on this shipment.</source>
        <translation>Está viendo el pasado. Vuelva al presente para actuar sobre este envío.</translation>
    </message>
    <message>
        <source>Shipment %1</source>
        <translation>Envío %1</translation>
    </message>
    <message>
        <source>%1 lb</source>
        <translation>%1 lb</translation>
    </message>
    <message>
        <source>Pickup window:</source>
        <translation>Ventana de recogida:</translation>
    </message>
    <message>
        <source>Delivery window:</source>
        <translation>Ventana de entrega:</translation>
    </message>
    <message>
        <source>Timing:</source>
        <translation>Puntualidad:</translation>
    </message>
    <message>
        <source>&amp;Bill of lading…</source>
        <translation>Carta de &amp;porte…</translation>
    </message>
    <message>
        <source>Preview, print or save as PDF the shipment&apos;s bill of lading</source>
        <translation>Vista previa, impresión o PDF de la carta de porte del envío</translation>
    </message>
</context>
<context>
    <name>waybill::app::ShipmentTableModel</name>
    <message>
        <source>Loading…</source>
        <translation>Cargando…</translation>
    </message>
    <message>
        <source>%1 lb</source>
        <translation>%1 lb</translation>
    </message>
    <message>
        <source>Shipment</source>
        <translation>Envío</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Estado</translation>
    </message>
    <message>
        <source>Account</source>
        <translation>Cuenta</translation>
    </message>
    <message>
        <source>Truck</source>
        <translation>Camión</translation>
    </message>
    <message>
        <source>From</source>
        <translation>Origen</translation>
    </message>
    <message>
        <source>To</source>
        <translation>Destino</translation>
    </message>
    <message>
        <source>Weight</source>
        <translation>Peso</translation>
    </message>
    <message>
        <source>Cost</source>
        <translation>Costo</translation>
    </message>
    <message>
        <source>Created</source>
        <translation>Creado</translation>
    </message>
    <message>
        <source>Last change</source>
        <translation>Último cambio</translation>
    </message>
    <message>
        <source>%1 to %2</source>
        <translation>%1 a %2</translation>
    </message>
    <message>
        <source>Timing</source>
        <translation>Puntualidad</translation>
    </message>
    <message>
        <source>Pickup</source>
        <translation>Recogida</translation>
    </message>
    <message>
        <source>Delivery</source>
        <translation>Entrega</translation>
    </message>
    <message>
        <source>Late: pickup</source>
        <translation>Retraso: recogida</translation>
    </message>
    <message>
        <source>Late: delivery</source>
        <translation>Retraso: entrega</translation>
    </message>
    <message>
        <source>On time</source>
        <translation>A tiempo</translation>
    </message>
    <message>
        <source>Delivered late</source>
        <translation>Entregado con retraso</translation>
    </message>
</context>
<context>
    <name>waybill::app::StatementModel</name>
    <message>
        <source>Invoice for shipment %1</source>
        <translation>Factura del envío %1</translation>
    </message>
    <message>
        <source>Payment received</source>
        <translation>Pago recibido</translation>
    </message>
    <message>
        <source>+%1</source>
        <extracomment>A payment on a statement, e.g. &quot;+$100.00&quot;</extracomment>
        <translation>+%1</translation>
    </message>
    <message>
        <source>Date</source>
        <translation>Fecha</translation>
    </message>
    <message>
        <source>Entry</source>
        <translation>Concepto</translation>
    </message>
    <message>
        <source>Amount</source>
        <translation>Importe</translation>
    </message>
    <message>
        <source>Balance after</source>
        <translation>Saldo resultante</translation>
    </message>
    <message>
        <source>By</source>
        <translation>Por</translation>
    </message>
    <message>
        <source>Payment received (reversed later)</source>
        <translation>Pago recibido (anulado después)</translation>
    </message>
</context>
<context>
    <name>waybill::app::StatementPeriodDialog</name>
    <message>
        <source>Statement of account %1</source>
        <translation>Estado de la cuenta %1</translation>
    </message>
    <message>
        <source>Every invoice, payment, reversal and credit of these days (UTC), with the balance before and after them and the aging of what is open at the end.</source>
        <translation>Todas las facturas, pagos, anulaciones y abonos de estos días (UTC), con el saldo antes y después y la antigüedad de lo pendiente al final.</translation>
    </message>
    <message>
        <source>&amp;From:</source>
        <translation>&amp;Desde:</translation>
    </message>
    <message>
        <source>&amp;To:</source>
        <translation>&amp;Hasta:</translation>
    </message>
    <message>
        <source>&amp;Preview</source>
        <translation>&amp;Vista previa</translation>
    </message>
</context>
<context>
    <name>waybill::app::TimeRangeEdit</name>
    <message>
        <source>Fro&amp;m</source>
        <translation>&amp;Desde</translation>
    </message>
    <message>
        <source>&amp;To</source>
        <translation>&amp;Hasta</translation>
    </message>
    <message>
        <source>Only events recorded at or after this time (UTC)</source>
        <translation>Solo los eventos registrados en este momento o después (UTC)</translation>
    </message>
    <message>
        <source>Only events recorded before this time (UTC); an event at exactly this time is not included</source>
        <translation>Solo los eventos registrados antes de este momento (UTC); un evento en este momento exacto no se incluye</translation>
    </message>
    <message>
        <source>Start of the export range, UTC</source>
        <translation>Inicio del intervalo de exportación, UTC</translation>
    </message>
    <message>
        <source>End of the export range, UTC</source>
        <translation>Fin del intervalo de exportación, UTC</translation>
    </message>
    <message>
        <source>“From” is after “To”: no event can be in this range. Set “From” no later than “To”.</source>
        <translation>«Desde» es posterior a «Hasta»: ningún evento puede estar en este intervalo. Elija un «Desde» que no sea posterior a «Hasta».</translation>
    </message>
</context>
<context>
    <name>waybill::app::TimelineModel</name>
    <message>
        <source>Event %1 of the history, recorded %2 (command %3)</source>
        <translation>Evento %1 del historial, registrado %2 (comando %3)</translation>
    </message>
    <message>
        <source>When</source>
        <translation>Cuándo</translation>
    </message>
    <message>
        <source>What</source>
        <translation>Qué</translation>
    </message>
    <message>
        <source>Who</source>
        <translation>Quién</translation>
    </message>
</context>
<context>
    <name>waybill::app::TruckLoadsModel</name>
    <message>
        <source>%1 · %2</source>
        <translation>%1 · %2</translation>
    </message>
    <message>
        <source>%1 · %2 · %3</source>
        <translation>%1 · %2 · %3</translation>
    </message>
    <message>
        <source>    → %1</source>
        <comment>the delivery window, under the pickup</comment>
        <translation>    → %1</translation>
    </message>
    <message>
        <source>Needs a truck:</source>
        <translation>Necesita camión:</translation>
    </message>
    <message>
        <source>%1%</source>
        <comment>of the capacity used</comment>
        <translation>%1 %</translation>
    </message>
    <message>
        <source>%1 lb of its %2 lb used</source>
        <translation>%1 lb usadas de sus %2 lb</translation>
    </message>
    <message>
        <source>%1 lb on board; no capacity set</source>
        <translation>%1 lb a bordo; sin capacidad fijada</translation>
    </message>
    <message>
        <source>Loads: pickup → delivery</source>
        <translation>Cargas: recogida → entrega</translation>
    </message>
</context>
<context>
    <name>waybill::app::TruckTableModel</name>
    <message>
        <source>Occupied</source>
        <translation>Ocupado</translation>
    </message>
    <message>
        <source>Available</source>
        <translation>Disponible</translation>
    </message>
    <message>
        <source>Truck</source>
        <translation>Camión</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Estado</translation>
    </message>
    <message>
        <source>Shipments on board</source>
        <translation>Envíos a bordo</translation>
    </message>
    <message>
        <source>Out of service: %1</source>
        <translation>Fuera de servicio: %1</translation>
    </message>
    <message>
        <source>Out of service: %1. Its shipments need another truck.</source>
        <translation>Fuera de servicio: %1. Sus envíos necesitan otro camión.</translation>
    </message>
    <message>
        <source>Never registered: known only from assignments</source>
        <translation>Nunca registrado: solo se conoce por asignaciones</translation>
    </message>
    <message>
        <source>Out of service</source>
        <translation>Fuera de servicio</translation>
    </message>
    <message>
        <source>Needs a truck: %1</source>
        <translation>Reasignar: %1</translation>
    </message>
    <message>
        <source>%1 lb</source>
        <translation>%1 lb</translation>
    </message>
    <message>
        <source>Not set</source>
        <translation>Sin indicar</translation>
    </message>
    <message>
        <source>Load</source>
        <translation>Carga</translation>
    </message>
    <message>
        <source>Capacity</source>
        <translation>Capacidad</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Nombre</translation>
    </message>
    <message>
        <source>%1 (truck %2)</source>
        <translation>%1 (camión %2)</translation>
    </message>
</context>
<context>
    <name>waybill::app::TrucksView</name>
    <message>
        <source>All trucks</source>
        <translation>Todos los camiones</translation>
    </message>
    <message>
        <source>Available</source>
        <translation>Disponible</translation>
    </message>
    <message>
        <source>Occupied</source>
        <translation>Ocupado</translation>
    </message>
    <message>
        <source>Out of service</source>
        <translation>Fuera de servicio</translation>
    </message>
    <message>
        <source>Show trucks</source>
        <translation>Mostrar camiones</translation>
    </message>
    <message>
        <source>Find a truck or shipment</source>
        <translation>Buscar un camión o envío</translation>
    </message>
    <message>
        <source>Find a truck</source>
        <translation>Buscar un camión</translation>
    </message>
    <message>
        <source>&amp;Register truck…</source>
        <translation>&amp;Registrar camión…</translation>
    </message>
    <message>
        <source>Add a truck to the fleet, with its capacity</source>
        <translation>Añadir un camión a la flota, con su capacidad</translation>
    </message>
    <message>
        <source>&amp;Out of service…</source>
        <translation>&amp;Fuera de servicio…</translation>
    </message>
    <message>
        <source>&amp;Back in service</source>
        <translation>De &amp;nuevo en servicio</translation>
    </message>
    <message>
        <source>Trucks</source>
        <translation>Camiones</translation>
    </message>
    <message numerus="yes">
        <source>%n shipment(s) on trucks out of service need another truck: %1</source>
        <translation>
            <numerusform>%n envío en un camión fuera de servicio necesita otro camión: %1</numerusform>
            <numerusform>%n envíos en camiones fuera de servicio necesitan otro camión: %1</numerusform>
        </translation>
    </message>
    <message>
        <source>Select a truck to see its record.</source>
        <translation>Seleccione un camión para ver su registro.</translation>
    </message>
    <message>
        <source>Truck %1</source>
        <translation>Camión %1</translation>
    </message>
    <message>
        <source>Truck %1 (%2)</source>
        <translation>Camión %1 (%2)</translation>
    </message>
    <message>
        <source>Never registered: known only from assignments.</source>
        <translation>Nunca registrado: solo se conoce por asignaciones.</translation>
    </message>
    <message>
        <source>Load %1 lb of %2 lb capacity</source>
        <translation>Carga de %1 lb de %2 lb de capacidad</translation>
    </message>
    <message>
        <source>Load %1 lb (no capacity set)</source>
        <translation>Carga de %1 lb (sin capacidad indicada)</translation>
    </message>
    <message>
        <source>Out of service: %1</source>
        <translation>Fuera de servicio: %1</translation>
    </message>
    <message>
        <source>Version %1</source>
        <translation>Versión %1</translation>
    </message>
    <message>
        <source>Select a truck first.</source>
        <translation>Seleccione primero un camión.</translation>
    </message>
    <message>
        <source>Take truck %1 off the board, saying why</source>
        <translation>Retirar el camión %1 del tablero, indicando el motivo</translation>
    </message>
    <message>
        <source>Truck %1 is not registered; register it first.</source>
        <translation>El camión %1 no está registrado; regístrelo primero.</translation>
    </message>
    <message>
        <source>Truck %1 is out of service already.</source>
        <translation>El camión %1 ya está fuera de servicio.</translation>
    </message>
    <message>
        <source>Put truck %1 back on the board</source>
        <translation>Volver a poner el camión %1 en el tablero</translation>
    </message>
    <message>
        <source>Truck %1 is in service.</source>
        <translation>El camión %1 está en servicio.</translation>
    </message>
    <message>
        <source>Register a truck</source>
        <translation>Registrar un camión</translation>
    </message>
    <message>
        <source>A registered truck can be taken out of service, and loads are never assigned to it past its capacity.</source>
        <translation>Un camión registrado puede ponerse fuera de servicio, y nunca se le asignan cargas por encima de su capacidad.</translation>
    </message>
    <message>
        <source>&amp;Name:</source>
        <translation>&amp;Nombre:</translation>
    </message>
    <message>
        <source>e.g. Blue Peterbilt</source>
        <translation>p. ej. Peterbilt azul</translation>
    </message>
    <message>
        <source>&amp;Capacity (lb):</source>
        <translation>&amp;Capacidad (lb):</translation>
    </message>
    <message>
        <source>1 to 80,000; empty: not set</source>
        <translation>de 1 a 80.000; vacío: sin indicar</translation>
    </message>
    <message>
        <source>Truck &amp;id:</source>
        <translation>&amp;Id. del camión:</translation>
    </message>
    <message>
        <source>e.g. T-110</source>
        <translation>p. ej. T-110</translation>
    </message>
    <message>
        <source>Register</source>
        <translation>Registrar</translation>
    </message>
    <message>
        <source>Take a truck out of service</source>
        <translation>Poner un camión fuera de servicio</translation>
    </message>
    <message>
        <source>Truck %1 will not be offered for loads until it is back in service.</source>
        <translation>El camión %1 no se ofrecerá para cargas hasta que vuelva al servicio.</translation>
    </message>
    <message>
        <source>Truck %1 carries %2. Those loads will need another truck.</source>
        <translation>El camión %1 lleva %2. Esas cargas necesitarán otro camión.</translation>
    </message>
    <message>
        <source>&amp;Reason:</source>
        <translation>&amp;Motivo:</translation>
    </message>
    <message>
        <source>e.g. Brake failure</source>
        <translation>p. ej. Fallo de frenos</translation>
    </message>
    <message>
        <source>Take out of service</source>
        <translation>Poner fuera de servicio</translation>
    </message>
</context>
<context>
    <name>waybill::app::WindowEdit</name>
    <message>
        <source>%1: from</source>
        <translation>%1: desde</translation>
    </message>
    <message>
        <source>%1: to</source>
        <translation>%1: hasta</translation>
    </message>
    <message>
        <source>The end is part of the window: a shipment is late only after it.</source>
        <translation>El final forma parte de la ventana: un envío solo va con retraso después de él.</translation>
    </message>
    <message>
        <source>to</source>
        <translation>a</translation>
    </message>
    <message>
        <source>The window ends before it starts.</source>
        <translation>La ventana termina antes de empezar.</translation>
    </message>
</context>
<context>
    <name>waybill::documents::DocumentText</name>
    <message>
        <source>the document could not be laid out</source>
        <translation>no se pudo componer el documento</translation>
    </message>
    <message>
        <source>%1 UTC</source>
        <translation>%1 UTC</translation>
    </message>
    <message>
        <source>%1 lb</source>
        <translation>%1 lb</translation>
    </message>
    <message>
        <source>%1, %2 %3</source>
        <translation>%1, %2 %3</translation>
    </message>
    <message>
        <source>%1, %2, %3 %4</source>
        <translation>%1, %2, %3 %4</translation>
    </message>
    <message>
        <source>Linehaul, %1 to %2, %3</source>
        <translation>Transporte, de %1 a %2, %3</translation>
    </message>
    <message>
        <source>Fuel surcharge</source>
        <translation>Recargo por combustible</translation>
    </message>
    <message>
        <source>Liftgate service</source>
        <translation>Servicio de plataforma elevadora</translation>
    </message>
    <message>
        <source>Residential delivery</source>
        <translation>Entrega residencial</translation>
    </message>
    <message>
        <source>Delivery appointment</source>
        <translation>Entrega con cita</translation>
    </message>
    <message>
        <source>Accessorial: %1</source>
        <translation>Servicio adicional: %1</translation>
    </message>
    <message>
        <source>Open</source>
        <translation>Pendiente</translation>
    </message>
    <message>
        <source>Partly paid</source>
        <translation>Pagada en parte</translation>
    </message>
    <message>
        <source>Credited</source>
        <translation>Abonada</translation>
    </message>
    <message>
        <source>Paid</source>
        <translation>Pagada</translation>
    </message>
    <message>
        <source>Submitted</source>
        <translation>Registrado</translation>
    </message>
    <message>
        <source>Assigned</source>
        <translation>Asignado</translation>
    </message>
    <message>
        <source>In transit</source>
        <translation>En tránsito</translation>
    </message>
    <message>
        <source>Delivered</source>
        <translation>Entregado</translation>
    </message>
    <message>
        <source>Cancelled</source>
        <translation>Cancelado</translation>
    </message>
    <message>
        <source>not set</source>
        <translation>sin fijar</translation>
    </message>
    <message>
        <source>%1 to %2</source>
        <translation>%1 a %2</translation>
    </message>
    <message>
        <source>(no billing address on record)</source>
        <translation>(sin dirección de facturación registrada)</translation>
    </message>
    <message>
        <source>Account %1</source>
        <translation>Cuenta %1</translation>
    </message>
    <message>
        <source>-$%1</source>
        <translation>-%1 $</translation>
    </message>
    <message>
        <source>$%1</source>
        <translation>%1 $</translation>
    </message>
    <message>
        <source>Page %1 of %2</source>
        <translation>Página %1 de %2</translation>
    </message>
    <message>
        <source>Proof of record: this document reflects the log up to position %1, whose hash is below. Anyone can check it against the log with:</source>
        <translation>Prueba de registro: este documento refleja el registro hasta la posición %1, cuyo hash figura debajo. Cualquiera puede comprobarlo contra el registro con:</translation>
    </message>
    <message>
        <source>Due on receipt</source>
        <translation>Al recibo</translation>
    </message>
    <message>
        <source>Net %1</source>
        <translation>Neto %1</translation>
    </message>
    <message>
        <source>Invoice</source>
        <translation>Factura</translation>
    </message>
    <message>
        <source>Invoice number</source>
        <translation>Número de factura</translation>
    </message>
    <message>
        <source>Issued</source>
        <translation>Emitida</translation>
    </message>
    <message>
        <source>Due</source>
        <translation>Vence</translation>
    </message>
    <message>
        <source>Terms</source>
        <translation>Condiciones</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Estado</translation>
    </message>
    <message>
        <source>Shipment %1</source>
        <translation>Envío %1</translation>
    </message>
    <message>
        <source>From: %1</source>
        <translation>Desde: %1</translation>
    </message>
    <message>
        <source>To: %1</source>
        <translation>Hasta: %1</translation>
    </message>
    <message>
        <source>Weight: %1</source>
        <translation>Peso: %1</translation>
    </message>
    <message>
        <source>Delivered %1</source>
        <translation>Entregado el %1</translation>
    </message>
    <message>
        <source>Delivered %1, signed by %2</source>
        <translation>Entregado el %1, firmado por %2</translation>
    </message>
    <message>
        <source>Bill to</source>
        <translation>Facturar a</translation>
    </message>
    <message>
        <source>Shipment</source>
        <translation>Envío</translation>
    </message>
    <message>
        <source>Description</source>
        <translation>Concepto</translation>
    </message>
    <message>
        <source>Amount</source>
        <translation>Importe</translation>
    </message>
    <message>
        <source>Freight charges, %1</source>
        <translation>Portes, %1</translation>
    </message>
    <message>
        <source>Adjustment</source>
        <translation>Ajuste</translation>
    </message>
    <message>
        <source>Invoice total</source>
        <translation>Total de la factura</translation>
    </message>
    <message>
        <source>Payments applied</source>
        <translation>Pagos aplicados</translation>
    </message>
    <message>
        <source>Credits applied</source>
        <translation>Abonos aplicados</translation>
    </message>
    <message>
        <source>Amount due</source>
        <translation>Importe pendiente</translation>
    </message>
    <message>
        <source>Terms: %1. Please pay %2 by %3 and quote invoice number %4 with your payment.</source>
        <translation>Condiciones: %1. Le rogamos pague %2 antes del %3 e indique el número de factura %4 con su pago.</translation>
    </message>
    <message>
        <source>Terms: %1. This invoice is settled: nothing is due. Thank you.</source>
        <translation>Condiciones: %1. Esta factura está saldada: no queda nada pendiente. Gracias.</translation>
    </message>
    <message>
        <source>Account %1 has no billing record yet.</source>
        <translation>La cuenta %1 aún no tiene datos de facturación.</translation>
    </message>
    <message>
        <source>Invoice %1</source>
        <translation>Factura %1</translation>
    </message>
    <message>
        <source>%1 · Invoice %2 · %3</source>
        <translation>%1 · Factura %2 · %3</translation>
    </message>
    <message>
        <source>Statement</source>
        <translation>Estado de cuenta</translation>
    </message>
    <message>
        <source>Account</source>
        <translation>Cuenta</translation>
    </message>
    <message>
        <source>Period</source>
        <translation>Periodo</translation>
    </message>
    <message>
        <source>Statement date</source>
        <translation>Fecha del estado</translation>
    </message>
    <message>
        <source>Balance due</source>
        <translation>Saldo pendiente</translation>
    </message>
    <message>
        <source>Statement for</source>
        <translation>Estado de cuenta de</translation>
    </message>
    <message>
        <source>Summary</source>
        <translation>Resumen</translation>
    </message>
    <message>
        <source>Opening balance %1</source>
        <translation>Saldo inicial %1</translation>
    </message>
    <message>
        <source>Entries in the period: %1</source>
        <translation>Movimientos del periodo: %1</translation>
    </message>
    <message>
        <source>Closing balance %1</source>
        <translation>Saldo final %1</translation>
    </message>
    <message>
        <source>Date</source>
        <translation>Fecha</translation>
    </message>
    <message>
        <source>Charges</source>
        <translation>Cargos</translation>
    </message>
    <message>
        <source>Payments and credits</source>
        <translation>Pagos y abonos</translation>
    </message>
    <message>
        <source>Balance</source>
        <translation>Saldo</translation>
    </message>
    <message>
        <source>Opening balance</source>
        <translation>Saldo inicial</translation>
    </message>
    <message>
        <source>Invoice %1, shipment %2</source>
        <translation>Factura %1, envío %2</translation>
    </message>
    <message>
        <source>Payment received, thank you</source>
        <translation>Pago recibido, gracias</translation>
    </message>
    <message>
        <source>Payment reversed: %1</source>
        <translation>Pago anulado: %1</translation>
    </message>
    <message>
        <source>Credit: %1</source>
        <translation>Abono: %1</translation>
    </message>
    <message>
        <source>Credit for shipment %1: %2</source>
        <translation>Abono por el envío %1: %2</translation>
    </message>
    <message>
        <source>Closing balance</source>
        <translation>Saldo final</translation>
    </message>
    <message>
        <source>Aging of what is open on %1</source>
        <translation>Antigüedad de lo pendiente al %1</translation>
    </message>
    <message>
        <source>Current</source>
        <translation>Al corriente</translation>
    </message>
    <message>
        <source>1-30 days</source>
        <translation>1-30 días</translation>
    </message>
    <message>
        <source>31-60 days</source>
        <translation>31-60 días</translation>
    </message>
    <message>
        <source>61-90 days</source>
        <translation>61-90 días</translation>
    </message>
    <message>
        <source>Over 90 days</source>
        <translation>Más de 90 días</translation>
    </message>
    <message>
        <source>Total open</source>
        <translation>Total pendiente</translation>
    </message>
    <message>
        <source>Open invoices on %1</source>
        <translation>Facturas pendientes al %1</translation>
    </message>
    <message>
        <source>The account is in credit by %1: it goes to the next invoices.</source>
        <translation>La cuenta tiene un saldo a favor de %1: se aplicará a las próximas facturas.</translation>
    </message>
    <message>
        <source>Statement %1, %2</source>
        <translation>Estado de cuenta %1, %2</translation>
    </message>
    <message>
        <source>%1 · Statement for %2 · %3</source>
        <translation>%1 · Estado de cuenta de %2 · %3</translation>
    </message>
    <message>
        <source>Bill of lading</source>
        <translation>Carta de porte</translation>
    </message>
    <message>
        <source>Bill freight to</source>
        <translation>Portes a cargo de</translation>
    </message>
    <message>
        <source>Shipper (ship from)</source>
        <translation>Remitente (origen)</translation>
    </message>
    <message>
        <source>Consignee (ship to)</source>
        <translation>Destinatario (destino)</translation>
    </message>
    <message>
        <source>Carrier</source>
        <translation>Transportista</translation>
    </message>
    <message>
        <source>Truck: not assigned yet</source>
        <translation>Camión: aún sin asignar</translation>
    </message>
    <message>
        <source>Truck: %1</source>
        <translation>Camión: %1</translation>
    </message>
    <message>
        <source>Schedule</source>
        <translation>Horario</translation>
    </message>
    <message>
        <source>Pickup window: %1</source>
        <translation>Ventana de recogida: %1</translation>
    </message>
    <message>
        <source>Delivery window: %1</source>
        <translation>Ventana de entrega: %1</translation>
    </message>
    <message>
        <source>Picked up: %1</source>
        <translation>Recogido: %1</translation>
    </message>
    <message>
        <source>Delivered: %1</source>
        <translation>Entregado: %1</translation>
    </message>
    <message>
        <source>Handling units</source>
        <translation>Bultos</translation>
    </message>
    <message>
        <source>Description of goods</source>
        <translation>Descripción de la mercancía</translation>
    </message>
    <message>
        <source>Weight</source>
        <translation>Peso</translation>
    </message>
    <message>
        <source>Freight</source>
        <translation>Mercancía</translation>
    </message>
    <message>
        <source>Total</source>
        <translation>Total</translation>
    </message>
    <message>
        <source>Services asked for: %1</source>
        <translation>Servicios solicitados: %1</translation>
    </message>
    <message>
        <source>Cancelled: %1</source>
        <translation>Cancelado: %1</translation>
    </message>
    <message>
        <source>Delivered %1, no signature recorded</source>
        <translation>Entregado el %1, sin firma registrada</translation>
    </message>
    <message>
        <source>Received in good order, %1</source>
        <translation>Recibido en buen estado, %1</translation>
    </message>
    <message>
        <source>Shipper signature</source>
        <translation>Firma del remitente</translation>
    </message>
    <message>
        <source>Carrier signature</source>
        <translation>Firma del transportista</translation>
    </message>
    <message>
        <source>Consignee signature</source>
        <translation>Firma del destinatario</translation>
    </message>
    <message>
        <source>Bill of lading %1</source>
        <translation>Carta de porte %1</translation>
    </message>
    <message>
        <source>%1 · Bill of lading · Shipment %2</source>
        <translation>%1 · Carta de porte · Envío %2</translation>
    </message>
</context>
<context>
    <name>waybill::http::ConnectionGuard</name>
    <message>
        <source>The request took too long to arrive</source>
        <translation>La solicitud tardó demasiado en llegar</translation>
    </message>
    <message>
        <source>The body is larger than %1 bytes</source>
        <translation>El cuerpo ocupa más de %1 bytes</translation>
    </message>
    <message>
        <source>Earlier requests on this connection are still being answered</source>
        <translation>Todavía se están respondiendo solicitudes anteriores de esta conexión</translation>
    </message>
</context>
<context>
    <name>waybill::http::GuardedTcpServer</name>
    <message>
        <source>The server has too many connections; try again shortly</source>
        <translation>El servidor tiene demasiadas conexiones; vuelva a intentarlo en breve</translation>
    </message>
    <message>
        <source>Too many connections from your address; try again shortly</source>
        <translation>Demasiadas conexiones desde su dirección; vuelva a intentarlo en breve</translation>
    </message>
</context>
<context>
    <name>waybill::http::RequestFramer</name>
    <message>
        <source>More than %1 bytes of empty lines came before the request</source>
        <translation>Llegaron más de %1 bytes de líneas vacías antes de la solicitud</translation>
    </message>
    <message>
        <source>Trailers after a chunked body are not accepted</source>
        <translation>No se aceptan campos finales tras un cuerpo por fragmentos</translation>
    </message>
    <message>
        <source>A chunk is longer than its size says</source>
        <translation>Un fragmento es más largo de lo que indica su tamaño</translation>
    </message>
    <message>
        <source>The request line is longer than %1 bytes</source>
        <translation>La línea de solicitud ocupa más de %1 bytes</translation>
    </message>
    <message>
        <source>The request headers are larger than %1 bytes</source>
        <translation>Las cabeceras de la solicitud ocupan más de %1 bytes</translation>
    </message>
    <message>
        <source>The request line is not HTTP</source>
        <translation>La línea de solicitud no es HTTP</translation>
    </message>
    <message>
        <source>Only HTTP/1.0 and HTTP/1.1 are spoken here</source>
        <translation>Aquí solo se habla HTTP/1.0 y HTTP/1.1</translation>
    </message>
    <message>
        <source>Folded header lines are not accepted</source>
        <translation>No se aceptan líneas de cabecera plegadas</translation>
    </message>
    <message>
        <source>A request header is malformed</source>
        <translation>Una cabecera de la solicitud está mal formada</translation>
    </message>
    <message>
        <source>The request has more than %1 headers</source>
        <translation>La solicitud tiene más de %1 cabeceras</translation>
    </message>
    <message>
        <source>A request cannot have both Content-Length and Transfer-Encoding</source>
        <translation>Una solicitud no puede tener a la vez Content-Length y Transfer-Encoding</translation>
    </message>
    <message>
        <source>Transfer-Encoding must be chunked alone</source>
        <translation>Transfer-Encoding debe ser solo chunked</translation>
    </message>
    <message>
        <source>Transfer-Encoding &quot;%1&quot; is not supported</source>
        <translation>Transfer-Encoding &quot;%1&quot; no es compatible</translation>
    </message>
    <message>
        <source>Content-Length is given more than once</source>
        <translation>Content-Length aparece más de una vez</translation>
    </message>
    <message>
        <source>Content-Length is not a number</source>
        <translation>Content-Length no es un número</translation>
    </message>
    <message>
        <source>The body is larger than %1 bytes</source>
        <translation>El cuerpo ocupa más de %1 bytes</translation>
    </message>
    <message>
        <source>A chunk size line is longer than %1 bytes</source>
        <translation>Una línea de tamaño de fragmento ocupa más de %1 bytes</translation>
    </message>
    <message>
        <source>A chunk size line must end with CRLF</source>
        <translation>Una línea de tamaño de fragmento debe terminar en CRLF</translation>
    </message>
    <message>
        <source>A chunk size is not a hexadecimal number</source>
        <translation>Un tamaño de fragmento no es un número hexadecimal</translation>
    </message>
    <message>
        <source>A chunk extension is malformed</source>
        <translation>Una extensión de fragmento está mal formada</translation>
    </message>
</context>
</TS>
