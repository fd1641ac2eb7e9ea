package io.agentkit.sync.endpoint;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;

/**
 * The application of the endpoint's web tests: Boot's auto-configuration and the
 * starter's, without an application {@code DataSource} (the cache needs none).
 */
@SpringBootConfiguration
@EnableAutoConfiguration(excludeName = "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration")
class EndpointTestApplication {

}
