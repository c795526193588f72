/**
 * Lines of a Java gateway properties file, one for each kind of key that changed what the Java
 * gateway did and that smsgw does not follow but warns of (issue 9 item 14), in file order.
 */
export const IGNORED_JAVA_PROPERTY_LINES: readonly string[] = [
  'camel.component.smpp.registered-delivery=1',
  'camel.component.smpp.data-coding=8',
  'camel.component.smpp.splitting-policy=TRUNCATE',
  'camel.component.smpp.reconnect-delay=12000',
  'camel.component.kafka.auto-offset-reset=latest',
  'logging.level.org.apache.camel=DEBUG'
]

/** The keys of IGNORED_JAVA_PROPERTY_LINES, in the same order. */
export const IGNORED_JAVA_PROPERTIES: readonly string[] = IGNORED_JAVA_PROPERTY_LINES.map(line => line.slice(0, line.indexOf('=')))
