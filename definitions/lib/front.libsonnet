// The hako front proxy: an nginx sidecar that reads its configuration from S3 (written by the nginx_front script).
{
  container: {
    image_tag: 'hakoapp/nginx-front:latest',
    cpu: 64,
    memory: 64,
    log_configuration: {
      log_driver: 'awslogs',
      options: {
        'awslogs-group': '/hako/front',
        'awslogs-region': 'ap-northeast-1',
        'awslogs-stream-prefix': 'front',
      },
    },
  },
  script(backend_port):: {
    type: 'nginx_front',
    backend_port: backend_port,
    s3: {
      region: 'ap-northeast-1',
      bucket: 'hako-demo-front-config',
      prefix: 'front_config',
    },
  },
}
