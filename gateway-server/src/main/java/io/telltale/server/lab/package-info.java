/**
 * {@code telltale lab}: the lab DNS, a throw-away PKI, one loopback origin per failure and the gateway
 * configured by {@code config/lab.yaml} in front of them, with the scenario list ({@link
 * io.telltale.server.lab.LabScenarios}) that the landing page, the admin JSON, the start-up listing and
 * the integration test all read, so that what the lab shows is what the tests prove.
 */
package io.telltale.server.lab;
