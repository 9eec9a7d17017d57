// Network ids differ per account (and per emulator run), so they come from the environment through the `env`
// provider: HAKO_VPC_ID, HAKO_SUBNETS and HAKO_SECURITY_GROUPS (comma-separated). Without --expand,
// show-definition prints ${HAKO_SUBNETS} placeholders instead.
local env(name) = std.native('provide.env')(std.toString({}), name);
local list(name) = std.split(env(name), ',');
{
  vpc_id: env('HAKO_VPC_ID'),
  subnets: list('HAKO_SUBNETS'),
  security_groups: list('HAKO_SECURITY_GROUPS'),
  awsvpc: {
    awsvpc_configuration: {
      subnets: $.subnets,
      security_groups: $.security_groups,
      assign_public_ip: 'DISABLED',
    },
  },
}
