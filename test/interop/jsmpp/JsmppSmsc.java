// An SMSC for interop tests, built on jsmpp (org.jsmpp:jsmpp), an SMPP implementation we did not
// write. It exercises our ESME against another project's reading of SMPP 3.4.
//
//   java -cp "$JSMPP_LIBS/*" test/interop/jsmpp/JsmppSmsc.java --port 0 --system-id X --password Y
//
// (JDK 17+ single-file source launch; test/interop/jsmpp/fetch.sh fetches the jars and prints
// JSMPP_LIBS.) Options:
//   --port P              TCP port on --host; 0 lets the OS pick one (READY says which)
//   --host H              listen address, default 127.0.0.1
//   --system-id X         the system_id an ESME binds with; also the SMSC's system_id in bind_resp
//   --password Y          the password an ESME binds with
//   --enquire-link-ms N   after N ms without a PDU from the ESME, jsmpp sends enquire_link
//                         (and closes the session when no enquire_link_resp comes); 0 (default) never
//   --first-message-id N  the first message id (the counter), default 160, written as hex: a0
//
// What it does:
//   - bind_transceiver with the right system_id and password: bind_transceiver_resp OK; a wrong
//     system_id or password: ESME_RINVPASWD; bind_transmitter or bind_receiver: ESME_RBINDFAIL
//   - submit_sm: submit_sm_resp with the next message id, a lower-case hex counter; when
//     registered_delivery asks for a receipt on success (bits 0-1 = 01), a deliver_sm receipt
//     (esm_class 0x04, the SMPP 3.4 Appendix B text, receipted_message_id and message_state
//     TLVs) once the submit_sm_resp is out
//   - enquire_link: enquire_link_resp (jsmpp answers it itself); unbind: unbind_resp
//   - data_sm, submit_multi, query_sm, replace_sm, cancel_sm, broadcast: refused, ESME_RINVCMDID
//
// stdin, one command a line (EOF, or a line `QUIT`, stops the SMSC):
//   MO <from> <to> <text...>                  deliver_sm to the last bound ESME: data_coding 0
//                                             when every character reads the same in GSM 7-bit
//                                             and ASCII (letters, digits, space, some
//                                             punctuation), one septet per octet; else UCS-2
//                                             (data_coding 8, UTF-16BE)
//   MO_HEX <from> <to> <dataCoding> <esmClass> <hex of short_message>   deliver_sm with exact octets
//
// stdout, one line per event, for the test to follow (never message text: hex only):
//   READY <port>                                      listening
//   BIND_REJECTED <bindType> <systemId> <status>      status in hex, 0x0000000e
//   BOUND <systemId>
//   SUBMIT <messageId> <destination> <dataCoding> <hex of short_message>
//       (also SUBMIT_DETAIL <messageId> esm_class=<n> registered_delivery=<n> source=<addr>)
//   RECEIPT <messageId>                               the ESME answered the receipt with ESME_ROK
//   RECEIPT_FAILED <messageId> <reason>
//   MO_DELIVERED <dataCoding> <hex of short_message>  the ESME answered the MO with ESME_ROK
//   MO_FAILED <reason>
//   ENQUIRE_LINK                                      the ESME sent enquire_link (answered)
//   UNBOUND                                           the session is unbound (unbind from either side)
//   CLOSED                                            the session's connection is closed; after an
//                                                     unbind jsmpp closes only when its blocking read
//                                                     returns (the ESME closes, or --enquire-link-ms)
//   BIND_TIMEOUT                                      a connection sent no bind in 5 s (jsmpp closed it)
//   UNSUPPORTED <command>                             refused with ESME_RINVCMDID
//   ERROR <reason>                                    a stdin command could not be read, or jsmpp failed
// jsmpp's own log (slf4j-simple) goes to stderr; -Dorg.slf4j.simpleLogger.defaultLogLevel=warn
// (as test/interop/jsmpp-smsc.ts runs it) keeps it to warnings.

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;

import org.jsmpp.SMPPConstant;
import org.jsmpp.bean.BindType;
import org.jsmpp.bean.BroadcastSm;
import org.jsmpp.bean.CancelBroadcastSm;
import org.jsmpp.bean.CancelSm;
import org.jsmpp.bean.DataCodings;
import org.jsmpp.bean.DataSm;
import org.jsmpp.bean.DeliveryReceipt;
import org.jsmpp.bean.ESMClass;
import org.jsmpp.bean.EnquireLink;
import org.jsmpp.bean.GSMSpecificFeature;
import org.jsmpp.bean.MessageMode;
import org.jsmpp.bean.MessageType;
import org.jsmpp.bean.NumberingPlanIndicator;
import org.jsmpp.bean.OptionalParameter;
import org.jsmpp.bean.QueryBroadcastSm;
import org.jsmpp.bean.QuerySm;
import org.jsmpp.bean.RegisteredDelivery;
import org.jsmpp.bean.ReplaceSm;
import org.jsmpp.bean.SubmitMulti;
import org.jsmpp.bean.SubmitSm;
import org.jsmpp.bean.TypeOfNumber;
import org.jsmpp.extra.NegativeResponseException;
import org.jsmpp.extra.ProcessRequestException;
import org.jsmpp.extra.SessionState;
import org.jsmpp.session.BindRequest;
import org.jsmpp.session.BroadcastSmResult;
import org.jsmpp.session.DataSmResult;
import org.jsmpp.session.QueryBroadcastSmResult;
import org.jsmpp.session.QuerySmResult;
import org.jsmpp.session.SMPPServerSession;
import org.jsmpp.session.SMPPServerSessionListener;
import org.jsmpp.session.ServerMessageReceiverListener;
import org.jsmpp.session.ServerResponseDeliveryListener;
import org.jsmpp.session.Session;
import org.jsmpp.session.SessionStateListener;
import org.jsmpp.session.SubmitMultiResult;
import org.jsmpp.session.SubmitSmResult;
import org.jsmpp.session.connection.ServerConnection;
import org.jsmpp.session.connection.ServerConnectionFactory;
import org.jsmpp.session.connection.socket.ServerSocketConnection;
import org.jsmpp.util.DeliveryReceiptState;
import org.jsmpp.util.MessageId;

public class JsmppSmsc implements ServerMessageReceiverListener, ServerResponseDeliveryListener, SessionStateListener {
    /** How long an accepted connection has to send its bind, as jsmpp's own default. */
    private static final long BIND_TIMEOUT_MS = 5_000;
    /** How long jsmpp waits for the ESME's answer to a deliver_sm or enquire_link. */
    private static final long TRANSACTION_TIMER_MS = 5_000;
    /** SMPP 3.4 §5.2.17: registered_delivery bits 0-1; 01 asks for a receipt on success and failure. */
    private static final int RECEIPT_BITS = 0x03;
    private static final int RECEIPT_ON_SUCCESS_AND_FAILURE = 0x01;
    /** Appendix B: the receipt quotes the first 20 characters of the message. */
    private static final int RECEIPT_TEXT_CHARS = 20;
    /**
     * Characters whose GSM 03.38 default alphabet septet equals their ASCII code, so that an MO of
     * these alone can go as data_coding 0 without a GSM table here ('@', '$', '_' and others differ).
     */
    private static final Pattern GSM_SAME_AS_ASCII = Pattern.compile("[A-Za-z0-9 !\"#%&'()*+,\\-./:;<=>?]*");
    private static final Pattern HEX = Pattern.compile("(?:[0-9A-Fa-f]{2})*");

    private final String systemId;
    private final String password;
    private final int enquireLinkMs;
    private final AtomicLong nextMessageId;
    /** Bound sessions, newest last: an MO goes to the newest that can still receive. */
    private final List<SMPPServerSession> boundSessions = new CopyOnWriteArrayList<>();
    /** The submit_sm of each receipt still to send, by message id, until its submit_sm_resp is out. */
    private final Map<String, Submitted> pendingReceipts = new ConcurrentHashMap<>();
    /** Sends receipts and MOs off jsmpp's PDU threads: deliverShortMessage blocks for the response. */
    private final ExecutorService deliveries = Executors.newSingleThreadExecutor(daemon("deliveries"));
    private final ExecutorService binds = Executors.newCachedThreadPool(daemon("bind"));

    private JsmppSmsc(String systemId, String password, int enquireLinkMs, long firstMessageId) {
        this.systemId = systemId;
        this.password = password;
        this.enquireLinkMs = enquireLinkMs;
        this.nextMessageId = new AtomicLong(firstMessageId);
    }

    /** What a receipt needs from its submit_sm. */
    private record Submitted(String source, String destination, String text, Date submitDate) { }

    public static void main(String[] args) throws Exception {
        String host = "127.0.0.1";
        Integer port = null;
        String systemId = null;
        String password = null;
        int enquireLinkMs = 0;
        long firstMessageId = 160;
        for (int i = 0; i < args.length; i++) {
            String value = i + 1 < args.length ? args[i + 1] : null;
            if (value == null) usage("missing value for " + args[i]);
            switch (args[i]) {
                case "--host" -> host = value;
                case "--port" -> port = Integer.parseInt(value);
                case "--system-id" -> systemId = value;
                case "--password" -> password = value;
                case "--enquire-link-ms" -> enquireLinkMs = Integer.parseInt(value);
                case "--first-message-id" -> firstMessageId = Long.parseLong(value);
                default -> usage("unknown option " + args[i]);
            }
            i++;
        }
        if (port == null || systemId == null || password == null) usage("--port, --system-id and --password are required");
        new JsmppSmsc(systemId, password, enquireLinkMs, firstMessageId).run(host, port);
    }

    private static void usage(String problem) {
        System.err.println("JsmppSmsc: " + problem);
        System.err.println("usage: java -cp 'libs/*' JsmppSmsc.java --port P --system-id X --password Y"
            + " [--host H] [--enquire-link-ms N] [--first-message-id N]");
        System.exit(2);
    }

    private void run(String host, int port) throws IOException {
        // jsmpp's ServerSocketConnectionFactory binds every interface and cannot tell which port
        // the OS picked for port 0, so bind the socket here and hand it over.
        ServerSocket serverSocket = new ServerSocket();
        serverSocket.bind(new InetSocketAddress(InetAddress.getByName(host), port), 50);
        ServerConnectionFactory factory = new BoundSocketFactory(serverSocket);
        SMPPServerSessionListener listener = new SMPPServerSessionListener(serverSocket.getLocalPort(), factory);
        listener.setMessageReceiverListener(this);
        listener.setResponseDeliveryListener(this);
        listener.setSessionStateListener(this);

        emit("READY " + serverSocket.getLocalPort());
        // After READY, so that a QUIT already waiting on stdin cannot end the JVM before it.
        Thread commands = new Thread(() -> readCommands(listener), "stdin");
        commands.setDaemon(true);
        commands.start();
        while (true) {
            SMPPServerSession session;
            try {
                session = listener.accept();
            } catch (SocketException closed) {
                return;
            }
            binds.execute(() -> waitForBind(session));
        }
    }

    private void waitForBind(SMPPServerSession session) {
        try {
            session.setTransactionTimer(TRANSACTION_TIMER_MS);
            BindRequest request = session.waitForBind(BIND_TIMEOUT_MS);
            if (request.getBindType() != BindType.BIND_TRX) {
                reject(request, SMPPConstant.STAT_ESME_RBINDFAIL);
            } else if (!systemId.equals(request.getSystemId()) || !password.equals(request.getPassword())) {
                reject(request, SMPPConstant.STAT_ESME_RINVPASWD);
            } else {
                request.accept(systemId);
                // jsmpp's enquire_link runs on the socket's read timeout, which this sets (jsmpp's
                // default is 60 s); 0 blocks reads for ever and never sends one.
                session.setEnquireLinkTimer(enquireLinkMs);
                boundSessions.add(session);
                emit("BOUND " + request.getSystemId());
            }
        } catch (TimeoutException e) {
            // jsmpp has closed the connection already.
            emit("BIND_TIMEOUT");
        } catch (Exception e) {
            emit("ERROR bind " + oneLine(e));
            session.close();
        }
    }

    private void reject(BindRequest request, int status) throws IOException {
        request.reject(status);
        emit(String.format("BIND_REJECTED %s %s 0x%08x", request.getBindType(), request.getSystemId(), status));
    }

    // ServerMessageReceiverListener: called on one of jsmpp's PDU threads; the return value becomes
    // the submit_sm_resp.
    @Override
    public SubmitSmResult onAcceptSubmitSm(SubmitSm submitSm, SMPPServerSession source) throws ProcessRequestException {
        String messageId = Long.toHexString(nextMessageId.getAndIncrement());
        byte[] shortMessage = submitSm.getShortMessage() == null ? new byte[0] : submitSm.getShortMessage();
        emit(String.format("SUBMIT %s %s %d %s", messageId, submitSm.getDestAddress(),
            submitSm.getDataCoding() & 0xff, HexFormat.of().formatHex(shortMessage)));
        emit(String.format("SUBMIT_DETAIL %s esm_class=%d registered_delivery=%d source=%s", messageId,
            submitSm.getEsmClass() & 0xff, submitSm.getRegisteredDelivery() & 0xff, submitSm.getSourceAddr()));
        if ((submitSm.getRegisteredDelivery() & RECEIPT_BITS) == RECEIPT_ON_SUCCESS_AND_FAILURE) {
            pendingReceipts.put(messageId, new Submitted(submitSm.getSourceAddr(), submitSm.getDestAddress(),
                receiptText(submitSm.getDataCoding(), submitSm.getEsmClass(), shortMessage), new Date()));
        }
        try {
            return new SubmitSmResult(new MessageId(messageId), new OptionalParameter[0]);
        } catch (Exception e) {
            throw new ProcessRequestException("message id " + messageId + " refused by jsmpp", SMPPConstant.STAT_ESME_RSYSERR);
        }
    }

    // ServerResponseDeliveryListener: the submit_sm_resp is on the wire, so the receipt cannot
    // overtake it.
    @Override
    public void onSubmitSmRespSent(SubmitSmResult result, SMPPServerSession source) {
        // jsmpp does not hand the SubmitSm to this callback; read what the receipt needs from the
        // request kept by onAcceptSubmitSm.
        Submitted submitted = pendingReceipts.remove(result.getMessageId());
        if (submitted == null) return;
        deliveries.execute(() -> sendReceipt(source, result.getMessageId(), submitted));
    }

    @Override
    public void onSubmitSmRespError(SubmitSmResult result, Exception cause, SMPPServerSession source) {
        pendingReceipts.remove(result.getMessageId());
        emit("ERROR submit_sm_resp " + result.getMessageId() + " " + oneLine(cause));
    }

    private void sendReceipt(SMPPServerSession session, String messageId, Submitted submitted) {
        try {
            DeliveryReceipt receipt = new DeliveryReceipt(messageId, 1, 1, submitted.submitDate(), new Date(),
                DeliveryReceiptState.DELIVRD, "000", submitted.text());
            byte[] text = receipt.toString().getBytes(StandardCharsets.ISO_8859_1);
            // A receipt goes from the recipient back to the sender (SMPP 3.4 §4.6.1).
            session.deliverShortMessage("", TypeOfNumber.INTERNATIONAL, NumberingPlanIndicator.ISDN, submitted.destination(),
                TypeOfNumber.UNKNOWN, NumberingPlanIndicator.UNKNOWN, submitted.source(),
                new ESMClass(MessageMode.DEFAULT, MessageType.SMSC_DEL_RECEIPT, GSMSpecificFeature.DEFAULT),
                (byte) 0, (byte) 0, new RegisteredDelivery(0), DataCodings.ZERO, text,
                new OptionalParameter.Receipted_message_id(messageId),
                new OptionalParameter.Message_state(OptionalParameter.Message_state.Message_state_enum.DELIVERED.byteValue()));
            emit("RECEIPT " + messageId);
        } catch (NegativeResponseException e) {
            emit(String.format("RECEIPT_FAILED %s status=0x%08x", messageId, e.getCommandStatus()));
        } catch (Exception e) {
            emit("RECEIPT_FAILED " + messageId + " " + oneLine(e));
        }
    }

    /**
     * The first 20 characters of the message for the receipt's `text:` field, as printable ASCII
     * ('?' for anything else): data_coding 8 is read as UTF-16BE, anything else as one character
     * per octet (GSM 7-bit unpacked matches ASCII for letters and digits), after a UDH if any.
     */
    private static String receiptText(byte dataCoding, byte esmClass, byte[] shortMessage) {
        int start = 0;
        if ((esmClass & 0x40) != 0 && shortMessage.length > 0) start = Math.min(shortMessage.length, 1 + (shortMessage[0] & 0xff));
        String text = dataCoding == 8
            ? new String(shortMessage, start, (shortMessage.length - start) & ~1, StandardCharsets.UTF_16BE)
            : new String(shortMessage, start, shortMessage.length - start, StandardCharsets.ISO_8859_1);
        StringBuilder printable = new StringBuilder(RECEIPT_TEXT_CHARS);
        text.codePoints().limit(RECEIPT_TEXT_CHARS)
            .forEach(c -> printable.append(c >= 0x20 && c < 0x7f ? (char) c : '?'));
        return printable.toString();
    }

    @Override
    public void onAcceptEnquireLink(EnquireLink enquireLink, Session source) {
        emit("ENQUIRE_LINK");
    }

    // SessionStateListener: jsmpp adds this listener to every session it accepts.
    @Override
    public void onStateChange(SessionState newState, SessionState oldState, Session source) {
        if (newState == SessionState.UNBOUND) {
            boundSessions.remove(source);
            emit("UNBOUND");
        } else if (newState == SessionState.CLOSED) {
            boundSessions.remove(source);
            emit("CLOSED");
        }
    }

    private void readCommands(SMPPServerSessionListener listener) {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                if (line.isBlank()) continue;
                if (line.equals("QUIT")) break;
                command(line);
            }
        } catch (IOException e) {
            emit("ERROR stdin " + oneLine(e));
        }
        // stdin's end is the test harness going away: stop, so that no JVM outlives its test.
        for (SMPPServerSession session : boundSessions) session.unbindAndClose();
        try {
            listener.close();
        } catch (IOException ignored) {
            // exiting anyway
        }
        System.exit(0);
    }

    private void command(String line) {
        String[] words = line.split(" ", 4);
        if (words[0].equals("MO") && words.length == 4) {
            String text = words[3];
            boolean gsm = GSM_SAME_AS_ASCII.matcher(text).matches();
            byte[] octets = text.getBytes(gsm ? StandardCharsets.US_ASCII : StandardCharsets.UTF_16BE);
            deliveries.execute(() -> sendMo(words[1], words[2], gsm ? 0 : 8, 0, octets));
            return;
        }
        if (words[0].equals("MO_HEX")) {
            String[] fields = line.split(" ", 6);
            if (fields.length >= 5) {
                String hex = fields.length == 6 ? fields[5] : "";
                try {
                    int dataCoding = Integer.decode(fields[3]);
                    int esmClass = Integer.decode(fields[4]);
                    if (!HEX.matcher(hex).matches()) throw new IllegalArgumentException("short_message is not hex");
                    byte[] octets = HexFormat.of().parseHex(hex);
                    deliveries.execute(() -> sendMo(fields[1], fields[2], dataCoding, esmClass, octets));
                } catch (IllegalArgumentException e) {
                    emit("ERROR " + oneLine(e));
                }
                return;
            }
        }
        emit("ERROR unknown command " + words[0]);
    }

    private void sendMo(String from, String to, int dataCoding, int esmClass, byte[] octets) {
        SMPPServerSession session = null;
        for (SMPPServerSession bound : boundSessions) {
            if (bound.getSessionState().isReceivable()) session = bound;
        }
        if (session == null) {
            emit("MO_FAILED no bound session");
            return;
        }
        try {
            session.deliverShortMessage("", TypeOfNumber.INTERNATIONAL, NumberingPlanIndicator.ISDN, from,
                TypeOfNumber.UNKNOWN, NumberingPlanIndicator.UNKNOWN, to, new ESMClass(esmClass),
                (byte) 0, (byte) 0, new RegisteredDelivery(0), DataCodings.newInstance((byte) dataCoding), octets);
            emit(String.format("MO_DELIVERED %d %s", dataCoding, HexFormat.of().formatHex(octets)));
        } catch (NegativeResponseException e) {
            emit(String.format("MO_FAILED status=0x%08x", e.getCommandStatus()));
        } catch (Exception e) {
            emit("MO_FAILED " + oneLine(e));
        }
    }

    // The rest of ServerMessageReceiverListener: not part of what the gateway sends.
    @Override
    public SubmitMultiResult onAcceptSubmitMulti(SubmitMulti submitMulti, SMPPServerSession source) throws ProcessRequestException {
        throw unsupported("submit_multi");
    }

    @Override
    public QuerySmResult onAcceptQuerySm(QuerySm querySm, SMPPServerSession source) throws ProcessRequestException {
        throw unsupported("query_sm");
    }

    @Override
    public void onAcceptReplaceSm(ReplaceSm replaceSm, SMPPServerSession source) throws ProcessRequestException {
        throw unsupported("replace_sm");
    }

    @Override
    public void onAcceptCancelSm(CancelSm cancelSm, SMPPServerSession source) throws ProcessRequestException {
        throw unsupported("cancel_sm");
    }

    @Override
    public BroadcastSmResult onAcceptBroadcastSm(BroadcastSm broadcastSm, SMPPServerSession source) throws ProcessRequestException {
        throw unsupported("broadcast_sm");
    }

    @Override
    public void onAcceptCancelBroadcastSm(CancelBroadcastSm cancelBroadcastSm, SMPPServerSession source) throws ProcessRequestException {
        throw unsupported("cancel_broadcast_sm");
    }

    @Override
    public QueryBroadcastSmResult onAcceptQueryBroadcastSm(QueryBroadcastSm queryBroadcastSm, SMPPServerSession source)
            throws ProcessRequestException {
        throw unsupported("query_broadcast_sm");
    }

    @Override
    public DataSmResult onAcceptDataSm(DataSm dataSm, Session source) throws ProcessRequestException {
        throw unsupported("data_sm");
    }

    @Override
    public void onSubmitMultiRespSent(SubmitMultiResult result, SMPPServerSession source) {
    }

    @Override
    public void onSubmitMultiRespError(SubmitMultiResult result, Exception cause, SMPPServerSession source) {
    }

    private static ProcessRequestException unsupported(String command) {
        emit("UNSUPPORTED " + command);
        return new ProcessRequestException(command + " is not supported", SMPPConstant.STAT_ESME_RINVCMDID);
    }

    private static synchronized void emit(String line) {
        System.out.println(line);
        System.out.flush();
    }

    private static String oneLine(Throwable e) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getClass().getSimpleName() + ": " + e.getMessage();
        return message.replaceAll("\\s+", " ");
    }

    private static ThreadFactory daemon(String name) {
        return runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        };
    }

    /** Hands jsmpp a server socket that is already bound, to the address and port we chose. */
    private static final class BoundSocketFactory implements ServerConnectionFactory {
        private final ServerSocket serverSocket;

        BoundSocketFactory(ServerSocket serverSocket) {
            this.serverSocket = serverSocket;
        }

        @Override
        public ServerConnection listen(int port) {
            return new ServerSocketConnection(serverSocket);
        }

        @Override
        public ServerConnection listen(int port, int timeout) throws IOException {
            serverSocket.setSoTimeout(timeout);
            return new ServerSocketConnection(serverSocket);
        }

        @Override
        public ServerConnection listen(int port, int timeout, int backlog) throws IOException {
            serverSocket.setSoTimeout(timeout);
            return new ServerSocketConnection(serverSocket);
        }
    }
}
